package dev.outrigger.proxy.demo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns the JVM's shutdown (Ctrl-C, SIGTERM) into something the main thread waits for, and holds
 * the exit until the main thread has closed what it opened, so stopping happens in one place, in
 * order, and is not cut short by the JVM halting.
 */
final class ShutdownRequest {
  /** Long enough for the proxy to close its event loops; short enough that a stuck close ends. */
  private static final Duration CLEANUP_LIMIT = Duration.ofSeconds(10);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  private ShutdownRequest() {}

  static ShutdownRequest install() {
    ShutdownRequest request = new ShutdownRequest();
    Runtime.getRuntime().addShutdownHook(new Thread(request::holdExitUntilCleanedUp, "demo-shutdown"));
    return request;
  }

  /** Returns once the JVM begins to shut down. */
  void await() throws InterruptedException {
    requested.await();
  }

  /** Lets the exit go on; call it however the main thread leaves, or the exit waits the limit. */
  void cleanedUp() {
    cleanedUp.countDown();
  }

  private void holdExitUntilCleanedUp() {
    requested.countDown();
    try {
      cleanedUp.await(CLEANUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
