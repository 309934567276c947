package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.MaxStreamDuration;
import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.VirtualHostConfig;
import java.util.Optional;

/**
 * How a forwarded request treats its upstream attempts, with the route's settings over the virtual
 * host's resolved once when the routes are compiled.
 *
 * @param retryPolicy the route's, else the virtual host's; empty: retries only when the request's
 *     own {@code x-envoy-retry-on} asks (and is trusted)
 * @param bufferLimitBytes how much request body is kept to send again on a retry
 * @param attemptCountInRequest send {@code x-envoy-attempt-count} upstream
 * @param attemptCountInResponse send {@code x-envoy-attempt-count} downstream
 */
public record UpstreamPolicy(
    Optional<RetryPolicy> retryPolicy,
    int bufferLimitBytes,
    boolean attemptCountInRequest,
    boolean attemptCountInResponse,
    MaxStreamDuration maxStreamDuration) {

  /** Linkerd's bound on a body kept for retries; Envoy's default differs (its connection buffer limit). */
  public static final int DEFAULT_BUFFER_LIMIT_BYTES = 64 * 1024;

  static UpstreamPolicy of(RouteAction.Forward route, VirtualHostConfig virtualHost) {
    return new UpstreamPolicy(
        route.retryPolicy().or(virtualHost::retryPolicy),
        route.perRequestBufferLimitBytes()
            .or(virtualHost::perRequestBufferLimitBytes)
            .orElse(DEFAULT_BUFFER_LIMIT_BYTES),
        virtualHost.includeRequestAttemptCount(),
        virtualHost.includeAttemptCountInResponse(),
        route.maxStreamDuration());
  }
}
