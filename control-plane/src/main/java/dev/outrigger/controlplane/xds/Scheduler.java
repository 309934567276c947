package dev.outrigger.controlplane.xds;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Time for the xDS server's timing logic (debounce, push and convergence times); tests drive their own. */
public interface Scheduler {

  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Runs {@code task} once, {@code delay} from now, on the scheduler's thread. */
  void schedule(Duration delay, Runnable task);

  /** The system clock and one daemon thread; {@link #close()} stops it. */
  static SystemScheduler system() {
    return new SystemScheduler();
  }

  final class SystemScheduler implements Scheduler, AutoCloseable {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "outrigger-xds-push");
      thread.setDaemon(true);
      return thread;
    });

    private SystemScheduler() {}

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
      executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
