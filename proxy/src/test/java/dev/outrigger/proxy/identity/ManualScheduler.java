package dev.outrigger.proxy.identity;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** Holds scheduled tasks until the test runs them, moving the manual clock to each task's time. */
final class ManualScheduler implements RenewalScheduler {
  private record Pending(Duration delay, Runnable task) {}

  private final ManualClock clock;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private boolean closed;

  ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void schedule(Duration delay, Runnable task) {
    pending.add(new Pending(delay, task));
  }

  synchronized Duration nextDelay() {
    if (pending.isEmpty()) {
      throw new IllegalStateException("nothing is scheduled");
    }
    return pending.peek().delay();
  }

  /** Advances the clock by the next task's delay and runs it on the calling thread. */
  void runNext() {
    Pending next;
    synchronized (this) {
      next = pending.remove();
    }
    clock.advance(next.delay());
    next.task().run();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
