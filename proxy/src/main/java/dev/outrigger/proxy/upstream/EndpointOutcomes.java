package dev.outrigger.proxy.upstream;

/**
 * How the requests sent to one endpoint ended, as outlier detection wants to hear it (Envoy's
 * outlier "results"). Called on event loops, once per outcome: implementations must be cheap and
 * must not block. {@link #NONE} when the cluster has no outlier detection.
 */
public interface EndpointOutcomes {
  EndpointOutcomes NONE = new EndpointOutcomes() {};

  /** The endpoint answered with this HTTP status. */
  default void responded(int status) {}

  /** A connection (or pooled stream) was obtained; the request's fate is told by {@link #responded}. */
  default void connected() {}

  /** Connected, and for TCP proxying that is the whole success: nothing more will be reported. */
  default void connectedFinal() {}

  /** The proxy could not reach the endpoint, or the connection or stream was reset or closed early. */
  default void localOriginFailure() {}

  /** The endpoint did not answer in time. */
  default void timedOut() {}
}
