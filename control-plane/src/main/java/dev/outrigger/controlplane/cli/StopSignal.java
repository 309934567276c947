package dev.outrigger.controlplane.cli;

import sun.misc.Signal;

/**
 * When to stop the control plane: SIGTERM or SIGINT in production, an explicit trigger in tests.
 * Handled as signals rather than a shutdown hook so that a stop ends with exit code 0.
 */
@FunctionalInterface
public interface StopSignal {
  StopSignal PROCESS =
      action -> {
        Signal.handle(new Signal("TERM"), signal -> action.run());
        Signal.handle(new Signal("INT"), signal -> action.run());
      };

  /** Runs {@code action} when the process is asked to stop; it may run more than once. */
  void onStop(Runnable action);
}
