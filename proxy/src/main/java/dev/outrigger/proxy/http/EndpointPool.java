package dev.outrigger.proxy.http;

/** Upstream streams to one endpoint from one event loop. */
interface EndpointPool {

  /**
   * Calls back {@code listener} with a ready stream, or with the connect failure. A request that
   * has to wait (for a connection to come up or to come free, or for stream capacity) is pending:
   * bounded by the cluster's {@code max_pending_requests}, refused with {@link
   * UpstreamListener#onPendingOverflow} beyond it.
   */
  void acquire(UpstreamListener listener);

  /** {@code listener} no longer waits (its exchange timed out or ended); a no-op if it does not. */
  void cancel(UpstreamListener listener);

  /**
   * The endpoint left its cluster: close the idle connections now and every other one when its
   * last exchange ends. Exchanges already given a connection, or waiting for one, still finish.
   */
  void retire();
}
