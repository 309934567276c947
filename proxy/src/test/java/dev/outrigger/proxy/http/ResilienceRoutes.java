package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.MaxStreamDuration;
import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.RetryPolicy.RetryOn;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.WeightedClusters;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Builds the forward actions the resilience tests need: retry policies, buffer limits, stream durations. */
final class ResilienceRoutes {
  private final String cluster;
  private Duration timeout = RouteAction.Forward.DEFAULT_TIMEOUT;
  private Optional<RetryPolicy> retryPolicy = Optional.empty();
  private Optional<Integer> bufferLimit = Optional.empty();
  private Optional<Duration> maxStreamDuration = Optional.empty();
  private Optional<Duration> grpcTimeoutHeaderMax = Optional.empty();

  private ResilienceRoutes(String cluster) {
    this.cluster = cluster;
  }

  static ResilienceRoutes to(String cluster) {
    return new ResilienceRoutes(cluster);
  }

  /** A retry policy with Envoy's defaults but a 1 ms backoff, so that tests do not wait for it. */
  static RetryPolicy retryOn(int numRetries, RetryOn... conditions) {
    return new RetryPolicy(Set.of(conditions), numRetries, Optional.empty(), Duration.ofMillis(1),
        Duration.ofMillis(10), Set.of(), false, RetryPolicy.DEFAULT_HOST_SELECTION_MAX_ATTEMPTS);
  }

  ResilienceRoutes timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  ResilienceRoutes retry(RetryPolicy policy) {
    this.retryPolicy = Optional.of(policy);
    return this;
  }

  ResilienceRoutes bufferLimit(int bytes) {
    this.bufferLimit = Optional.of(bytes);
    return this;
  }

  ResilienceRoutes maxStreamDuration(Duration limit) {
    this.maxStreamDuration = Optional.of(limit);
    return this;
  }

  ResilienceRoutes grpcTimeoutHeaderMax(Duration max) {
    this.grpcTimeoutHeaderMax = Optional.of(max);
    return this;
  }

  RouteAction.Forward build() {
    return new RouteAction.Forward(WeightedClusters.single(cluster), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), false, timeout, Optional.empty(), retryPolicy, bufferLimit,
        new MaxStreamDuration(maxStreamDuration, grpcTimeoutHeaderMax, Optional.empty()), List.of(), List.of());
  }
}
