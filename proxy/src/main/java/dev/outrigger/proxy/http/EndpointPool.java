package dev.outrigger.proxy.http;

/** Upstream streams to one endpoint from one event loop. */
interface EndpointPool {

  /** Calls back {@code listener} with a ready stream, or with the connect failure. */
  void acquire(UpstreamListener listener);

  /**
   * The endpoint left its cluster: close the idle connections now and every other one when its
   * last exchange ends. Exchanges already given a connection, or waiting for one, still finish.
   */
  void retire();
}
