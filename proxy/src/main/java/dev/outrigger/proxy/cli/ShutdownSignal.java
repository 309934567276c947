package dev.outrigger.proxy.cli;

import sun.misc.Signal;

/**
 * When to stop a running command: SIGTERM or SIGINT in production, an explicit trigger in tests.
 *
 * <p>The process signals are handled, not left to a JVM shutdown hook: a hook runs while the JVM
 * is already exiting with 143, too late to drain and answer with exit code 0. The action only
 * wakes the command's main thread, which drains and returns its exit code in the normal way.
 */
@FunctionalInterface
public interface ShutdownSignal {
  ShutdownSignal PROCESS =
      action -> {
        Signal.handle(new Signal("TERM"), signal -> action.run());
        Signal.handle(new Signal("INT"), signal -> action.run());
      };

  /** Runs {@code action} when the process is asked to stop; it may run more than once. */
  void onShutdown(Runnable action);
}
