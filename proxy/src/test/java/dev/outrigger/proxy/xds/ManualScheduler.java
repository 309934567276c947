package dev.outrigger.proxy.xds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Holds the reconnects until the test runs them; remembers the delays asked for. */
final class ManualScheduler implements Scheduler {
  private final List<Runnable> pending = new ArrayList<>();
  final List<Duration> delays = new ArrayList<>();

  @Override
  public synchronized void schedule(Duration delay, Runnable task) {
    delays.add(delay);
    pending.add(task);
  }

  synchronized int pending() {
    return pending.size();
  }

  /** Runs the oldest pending task on the calling thread. */
  void runNext() {
    Runnable next;
    synchronized (this) {
      next = pending.remove(0);
    }
    next.run();
  }

  @Override
  public void close() {}
}
