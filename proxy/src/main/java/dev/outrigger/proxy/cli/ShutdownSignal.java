package dev.outrigger.proxy.cli;

/**
 * When to stop a running command: SIGTERM or Ctrl-C in production (a JVM shutdown hook), an
 * explicit trigger in tests.
 */
@FunctionalInterface
interface ShutdownSignal {
  ShutdownSignal JVM =
      action -> Runtime.getRuntime().addShutdownHook(new Thread(action, "outrigger-shutdown"));

  /** Runs {@code action} once, when the process is asked to stop. */
  void onShutdown(Runnable action);
}
