package dev.outrigger.proxy.xds;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the reconnect after its backoff. A seam so tests step reconnects by hand. */
interface Scheduler extends AutoCloseable {
  void schedule(Duration delay, Runnable task);

  @Override
  void close();

  /** One daemon thread. */
  static Scheduler daemon() {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "outrigger-xds-reconnect");
      thread.setDaemon(true);
      return thread;
    });
    return new Scheduler() {
      @Override
      public void schedule(Duration delay, Runnable task) {
        executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
