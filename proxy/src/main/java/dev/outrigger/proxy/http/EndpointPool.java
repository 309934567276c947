package dev.outrigger.proxy.http;

/** Upstream streams to one endpoint from one event loop. */
interface EndpointPool {

  /** Calls back {@code listener} with a ready stream, or with the connect failure. */
  void acquire(UpstreamListener listener);
}
