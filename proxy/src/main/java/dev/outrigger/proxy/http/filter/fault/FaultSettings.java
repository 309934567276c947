package dev.outrigger.proxy.http.filter.fault;

import dev.outrigger.proxy.http.filter.FilterResources;
import dev.outrigger.proxy.http.filter.HttpFilter;
import dev.outrigger.proxy.http.filter.HttpFilterFactory;
import dev.outrigger.proxy.http.filter.Percentage;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code envoy.filters.http.fault} ({@code HTTPFault}), the supported subset; the same type serves
 * as a per-route override.
 *
 * @param maxActiveFaults no new fault while this many requests are being delayed; empty: no limit
 */
public record FaultSettings(Optional<Delay> delay, Optional<Abort> abort, OptionalInt maxActiveFaults)
    implements HttpFilterFactory {

  /**
   * @param fixed {@code fixed_delay}; empty for {@code header_delay} (the request's {@code
   *     x-envoy-fault-delay-request} in milliseconds)
   * @param percentage of requests delayed (Envoy's default: none)
   */
  public record Delay(Optional<Duration> fixed, Percentage percentage) {}

  /**
   * One of: {@code httpStatus} (200–599), {@code grpcStatus} (answered as HTTP 200 with that
   * grpc-status, as Envoy does), or neither for {@code header_abort} (the request's {@code
   * x-envoy-fault-abort-request} or {@code x-envoy-fault-abort-grpc-request}).
   *
   * @param percentage of requests aborted (Envoy's default: none)
   */
  public record Abort(OptionalInt httpStatus, OptionalInt grpcStatus, Percentage percentage) {
    boolean fromHeaders() {
      return httpStatus.isEmpty() && grpcStatus.isEmpty();
    }
  }

  @Override
  public HttpFilter newFilter(String name, FilterResources resources) {
    return new FaultFilter(this, FaultMeters.of(resources.registry(), name), new ActiveFaults());
  }
}
