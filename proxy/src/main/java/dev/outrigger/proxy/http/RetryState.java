package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.RetryPolicy.RetryOn;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * The retry policy one request runs under and what is left of it: which failures it retries, how
 * many retries remain, and the next backoff. Made from the route's policy and, when trusted, the
 * request's {@code x-envoy-retry-on}, {@code x-envoy-retry-grpc-on} and {@code x-envoy-max-retries}
 * (consumed: never forwarded).
 */
final class RetryState {
  static final AsciiString RETRY_ON = AsciiString.cached("x-envoy-retry-on");
  static final AsciiString RETRY_GRPC_ON = AsciiString.cached("x-envoy-retry-grpc-on");
  static final AsciiString MAX_RETRIES = AsciiString.cached("x-envoy-max-retries");
  private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  private static final Set<RetryOn> GRPC_CONDITIONS =
      EnumSet.of(RetryOn.CANCELLED, RetryOn.DEADLINE_EXCEEDED, RetryOn.INTERNAL, RetryOn.RESOURCE_EXHAUSTED,
          RetryOn.UNAVAILABLE);

  /** Why an attempt failed before it had a response. */
  enum Failure {
    CONNECT_FAILURE,
    /** Closed or reset by the upstream. */
    RESET,
    /** Reset with REFUSED_STREAM. */
    REFUSED_STREAM,
    /** The per-try timeout: retried as the 504 it stands for, and by {@code reset} as a read timeout. */
    PER_TRY_TIMEOUT
  }

  private final Set<RetryOn> retryOn;
  private final Set<Integer> retriableStatusCodes;
  private final Optional<Duration> perTryTimeout;
  private final boolean avoidPreviousHosts;
  private final int hostSelectionMaxAttempts;
  private final JitteredBackoff backoff;
  private int retriesLeft;

  private RetryState(RetryPolicy policy, LongUnaryOperator draw) {
    this.retryOn = policy.retryOn().isEmpty() ? EnumSet.noneOf(RetryOn.class) : EnumSet.copyOf(policy.retryOn());
    this.retriableStatusCodes = policy.retriableStatusCodes();
    this.perTryTimeout = policy.perTryTimeout();
    this.avoidPreviousHosts = policy.avoidPreviousHosts();
    this.hostSelectionMaxAttempts = policy.hostSelectionMaxAttempts();
    this.backoff = new JitteredBackoff(policy.baseInterval(), policy.maxInterval(), draw);
    this.retriesLeft = policy.numRetries();
  }

  /**
   * The retry state of a request, or null when neither the route nor a trusted header asks for
   * retries. The retry headers are removed from {@code headers} either way.
   */
  static RetryState of(
      Optional<RetryPolicy> configured, HttpHeaders headers, boolean trustHeaders, LongUnaryOperator draw) {
    String retryOnHeader = headers.get(RETRY_ON);
    String retryGrpcOnHeader = headers.get(RETRY_GRPC_ON);
    String maxRetriesHeader = headers.get(MAX_RETRIES);
    headers.remove(RETRY_ON).remove(RETRY_GRPC_ON).remove(MAX_RETRIES);
    if (!trustHeaders) {
      return configured.map(policy -> new RetryState(policy, draw)).orElse(null);
    }
    Set<RetryOn> requested = EnumSet.noneOf(RetryOn.class);
    addConditions(retryOnHeader, false, requested);
    addConditions(retryGrpcOnHeader, true, requested);
    if (configured.isEmpty() && requested.isEmpty()) {
      return null;
    }
    RetryPolicy base = configured.orElseGet(RetryState::headerOnlyDefaults);
    requested.addAll(base.retryOn());
    int numRetries = parseCount(maxRetriesHeader).orElse(base.numRetries());
    return new RetryState(
        new RetryPolicy(requested, numRetries, base.perTryTimeout(), base.baseInterval(), base.maxInterval(),
            base.retriableStatusCodes(), base.avoidPreviousHosts(), base.hostSelectionMaxAttempts()),
        draw);
  }

  private static RetryPolicy headerOnlyDefaults() {
    return new RetryPolicy(Set.of(), RetryPolicy.DEFAULT_NUM_RETRIES, Optional.empty(),
        RetryPolicy.DEFAULT_BASE_INTERVAL, RetryPolicy.DEFAULT_BASE_INTERVAL.multipliedBy(10), Set.of(), false,
        RetryPolicy.DEFAULT_HOST_SELECTION_MAX_ATTEMPTS);
  }

  /** Envoy ignores names it does not know in these headers, and so does this. */
  private static void addConditions(String header, boolean grpc, Set<RetryOn> into) {
    if (header == null) {
      return;
    }
    for (String name : header.split(",")) {
      RetryOn.named(name.trim())
          .filter(on -> GRPC_CONDITIONS.contains(on) == grpc)
          .ifPresent(into::add);
    }
  }

  private static Optional<Integer> parseCount(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      int count = Integer.parseInt(value.trim());
      return count >= 0 ? Optional.of(count) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  boolean retries(Failure failure) {
    if (retryOn.contains(RetryOn.FIVE_XX) || retryOn.contains(RetryOn.GATEWAY_ERROR)) {
      return true;
    }
    switch (failure) {
      case CONNECT_FAILURE:
        return retryOn.contains(RetryOn.CONNECT_FAILURE) || retryOn.contains(RetryOn.RESET);
      case REFUSED_STREAM:
        return retryOn.contains(RetryOn.REFUSED_STREAM) || retryOn.contains(RetryOn.RESET);
      case PER_TRY_TIMEOUT:
        return retryOn.contains(RetryOn.RESET) || retriesStatus(504);
      default:
        return retryOn.contains(RetryOn.RESET);
    }
  }

  /** Whether this response head (status, or gRPC status of a trailers-only response) is retried. */
  boolean retries(HttpResponse response) {
    int status = response.status().code();
    if (retriesStatus(status)) {
      return true;
    }
    String grpcStatus = response.headers().get(GRPC_STATUS);
    return grpcStatus != null && retriesGrpcStatus(grpcStatus.trim());
  }

  private boolean retriesStatus(int status) {
    return (status >= 500 && retryOn.contains(RetryOn.FIVE_XX))
        || ((status == 502 || status == 503 || status == 504) && retryOn.contains(RetryOn.GATEWAY_ERROR))
        || (status == 409 && retryOn.contains(RetryOn.RETRIABLE_4XX))
        || (retryOn.contains(RetryOn.RETRIABLE_STATUS_CODES) && retriableStatusCodes.contains(status));
  }

  private boolean retriesGrpcStatus(String status) {
    switch (status) {
      case "1":
        return retryOn.contains(RetryOn.CANCELLED);
      case "4":
        return retryOn.contains(RetryOn.DEADLINE_EXCEEDED);
      case "8":
        return retryOn.contains(RetryOn.RESOURCE_EXHAUSTED);
      case "13":
        return retryOn.contains(RetryOn.INTERNAL);
      case "14":
        return retryOn.contains(RetryOn.UNAVAILABLE);
      default:
        return false;
    }
  }

  boolean hasRetryLeft() {
    return retriesLeft > 0;
  }

  /** Uses up one retry; returns how long to wait before it. */
  Duration takeRetry() {
    retriesLeft--;
    return backoff.next();
  }

  Optional<Duration> perTryTimeout() {
    return perTryTimeout;
  }

  boolean avoidPreviousHosts() {
    return avoidPreviousHosts;
  }

  int hostSelectionMaxAttempts() {
    return hostSelectionMaxAttempts;
  }
}
