package dev.outrigger.benchmarks.harness;

import io.netty.channel.ChannelPipeline;

/**
 * One connection of the load generator: carries up to {@link #capacity()} requests at once (one
 * for HTTP/1.1 keep-alive, the stream limit for HTTP/2). Used on its event loop only.
 */
interface Lane {
  /** Adds this lane's handlers to a new connection's pipeline. */
  void install(ChannelPipeline pipeline);

  /**
   * Whether the connection is ready to carry {@link #capacity()} requests: for HTTP/2, once the
   * peer's SETTINGS (its stream limit) arrived; a request sent before could exceed the limit.
   */
  boolean established();

  int capacity();

  int inFlight();

  /** Sends one request; its latency is measured from {@code intendedNanos}. */
  void send(long intendedNanos);

  /** Told when a request of a lane finished, on the lane's event loop. */
  interface Listener {
    void completed(Lane lane, long intendedNanos, boolean ok);

    /** The connection closed; its requests in flight are reported failed right after. */
    void closed(Lane lane);
  }
}
