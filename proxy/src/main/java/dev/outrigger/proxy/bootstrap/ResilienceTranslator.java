package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.UInt32Value;
import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.MaxStreamDuration;
import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.RetryPolicy.RetryOn;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Circuit breakers, retry policies, retry buffer limits and stream durations, with Envoy's defaults. */
final class ResilienceTranslator {
  private static final String RETRY_ON_NAMES =
      Arrays.stream(RetryOn.values()).map(RetryOn::envoyName).collect(Collectors.joining(", "));

  private final Translation translation;

  ResilienceTranslator(Translation translation) {
    this.translation = translation;
  }

  /** {@code circuit_breakers}: one thresholds entry, for the DEFAULT priority (the subset rejects others). */
  CircuitBreakers circuitBreakers(Cluster cluster, FieldPath path) {
    if (!cluster.hasCircuitBreakers()) {
      return CircuitBreakers.DEFAULTS;
    }
    FieldPath listPath = path.field("circuit_breakers").field("thresholds");
    var thresholds = cluster.getCircuitBreakers().getThresholdsList();
    if (thresholds.isEmpty()) {
      return CircuitBreakers.DEFAULTS;
    }
    if (thresholds.size() > 1) {
      translation.error(listPath.index(1), "only one thresholds entry (priority DEFAULT) is supported");
    }
    var entry = thresholds.get(0);
    Optional<CircuitBreakers.RetryBudget> budget = Optional.empty();
    if (entry.hasRetryBudget()) {
      var retryBudget = entry.getRetryBudget();
      budget = Optional.of(new CircuitBreakers.RetryBudget(
          retryBudget.hasBudgetPercent()
              ? retryBudget.getBudgetPercent().getValue()
              : CircuitBreakers.RetryBudget.DEFAULT_BUDGET_PERCENT,
          limit(retryBudget.hasMinRetryConcurrency(), retryBudget.getMinRetryConcurrency(),
              CircuitBreakers.RetryBudget.DEFAULT_MIN_RETRY_CONCURRENCY)));
    }
    return new CircuitBreakers(
        limit(entry.hasMaxConnections(), entry.getMaxConnections(), CircuitBreakers.DEFAULT_LIMIT),
        limit(entry.hasMaxPendingRequests(), entry.getMaxPendingRequests(), CircuitBreakers.DEFAULT_LIMIT),
        limit(entry.hasMaxRequests(), entry.getMaxRequests(), CircuitBreakers.DEFAULT_LIMIT),
        limit(entry.hasMaxRetries(), entry.getMaxRetries(), CircuitBreakers.DEFAULT_LIMIT),
        budget);
  }

  /** An unsigned 32-bit limit, saturated to what an int holds. */
  private static int limit(boolean set, UInt32Value value, int otherwise) {
    return set ? (int) Math.min(Integer.toUnsignedLong(value.getValue()), Integer.MAX_VALUE) : otherwise;
  }

  Optional<RetryPolicy> retryPolicy(
      boolean set, io.envoyproxy.envoy.config.route.v3.RetryPolicy policy, FieldPath path) {
    if (!set) {
      return Optional.empty();
    }
    Set<RetryOn> retryOn = EnumSet.noneOf(RetryOn.class);
    for (String name : policy.getRetryOn().split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      Optional<RetryOn> on = RetryOn.named(trimmed);
      if (on.isEmpty()) {
        translation.error(path.field("retry_on"), "unsupported retry condition " + Translation.quote(trimmed)
            + " (supported: " + RETRY_ON_NAMES + ")");
      }
      on.ifPresent(retryOn::add);
    }
    Optional<Duration> perTryTimeout = policy.hasPerTryTimeout()
        ? Optional.of(translation.duration(policy.getPerTryTimeout(), path.field("per_try_timeout")))
            .filter(timeout -> !timeout.isZero())
        : Optional.empty();
    Duration base = RetryPolicy.DEFAULT_BASE_INTERVAL;
    Duration max = null;
    if (policy.hasRetryBackOff()) {
      FieldPath backOffPath = path.field("retry_back_off");
      base = translation.positiveDuration(policy.getRetryBackOff().getBaseInterval(), backOffPath.field("base_interval"));
      if (policy.getRetryBackOff().hasMaxInterval()) {
        max = translation.positiveDuration(policy.getRetryBackOff().getMaxInterval(), backOffPath.field("max_interval"));
        if (max.compareTo(base) < 0) {
          translation.error(backOffPath.field("max_interval"), "must not be less than base_interval");
        }
      }
    }
    Set<Integer> statusCodes = new LinkedHashSet<>();
    for (int i = 0; i < policy.getRetriableStatusCodesCount(); i++) {
      int code = policy.getRetriableStatusCodes(i);
      if (code < 100 || code > 599) {
        translation.error(path.field("retriable_status_codes").index(i), "must be between 100 and 599, got " + code);
      }
      statusCodes.add(code);
    }
    long hostSelectionAttempts = policy.getHostSelectionRetryMaxAttempts();
    if (hostSelectionAttempts < 0) {
      translation.error(path.field("host_selection_retry_max_attempts"), "must not be negative");
    }
    return Optional.of(new RetryPolicy(
        retryOn,
        policy.hasNumRetries() ? policy.getNumRetries().getValue() : RetryPolicy.DEFAULT_NUM_RETRIES,
        perTryTimeout,
        base,
        max != null ? max : base.multipliedBy(10),
        statusCodes,
        policy.getRetryHostPredicateCount() > 0,
        // Envoy documents an unset (zero) value as "retry once".
        hostSelectionAttempts > 0
            ? (int) Math.min(hostSelectionAttempts, Integer.MAX_VALUE)
            : RetryPolicy.DEFAULT_HOST_SELECTION_MAX_ATTEMPTS));
  }

  Optional<Integer> bufferLimit(boolean set, UInt32Value value) {
    return set ? Optional.of(limit(true, value, 0)) : Optional.empty();
  }

  MaxStreamDuration maxStreamDuration(RouteAction action, FieldPath path) {
    if (!action.hasMaxStreamDuration()) {
      return MaxStreamDuration.NONE;
    }
    var limits = action.getMaxStreamDuration();
    FieldPath limitsPath = path.field("max_stream_duration");
    return new MaxStreamDuration(
        limits.hasMaxStreamDuration()
            ? Optional.of(translation.duration(limits.getMaxStreamDuration(), limitsPath.field("max_stream_duration")))
            : Optional.empty(),
        limits.hasGrpcTimeoutHeaderMax()
            ? Optional.of(translation.duration(limits.getGrpcTimeoutHeaderMax(), limitsPath.field("grpc_timeout_header_max")))
            : Optional.empty(),
        limits.hasGrpcTimeoutHeaderOffset()
            ? Optional.of(translation.duration(limits.getGrpcTimeoutHeaderOffset(), limitsPath.field("grpc_timeout_header_offset")))
            : Optional.empty());
  }
}
