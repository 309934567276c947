package dev.outrigger.proxy.http;

/**
 * The connections a pool has open or is opening. When none are left the pool holds nothing worth
 * keeping, and its owner drops it, so that pools whose connections the upstream or the idle timeout
 * closed do not pile up.
 */
final class ConnectionCount {
  private final Runnable onNone;
  private int count;

  ConnectionCount(Runnable onNone) {
    this.onNone = onNone;
  }

  void opening() {
    count++;
  }

  /** A connection closed, or failed to open. */
  void closed() {
    if (--count == 0) {
      onNone.run();
    }
  }
}
