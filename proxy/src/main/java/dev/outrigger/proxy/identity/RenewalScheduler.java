package dev.outrigger.proxy.identity;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one renewal task after a delay. A seam so tests step the renewal and backoff schedule with a
 * manual clock instead of sleeping.
 */
interface RenewalScheduler extends AutoCloseable {

  void schedule(Duration delay, Runnable task);

  @Override
  void close();

  /** Tasks run one at a time on a daemon thread named {@code name}. */
  static RenewalScheduler daemonThread(String name) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory(name, true));
    return new RenewalScheduler() {
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
