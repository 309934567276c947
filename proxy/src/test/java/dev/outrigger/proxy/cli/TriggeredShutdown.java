package dev.outrigger.proxy.cli;

/** A shutdown signal the test fires, standing in for SIGTERM. */
final class TriggeredShutdown implements ShutdownSignal {
  private volatile Runnable action;

  @Override
  public void onShutdown(Runnable action) {
    this.action = action;
  }

  boolean armed() {
    return action != null;
  }

  void trigger() {
    action.run();
  }
}
