package dev.outrigger.proxy.config;

import java.time.Duration;

/**
 * Passive health checking of a cluster's endpoints ({@code Cluster.outlier_detection}): an
 * endpoint that fails this many times in a row is ejected from balancing for a while. A threshold
 * of 0 turns its detection off; an {@code enforcing*} percentage is the chance that a detection
 * really ejects.
 *
 * @param splitExternalLocalOriginErrors when true, local-origin failures (connect failure, reset,
 *     timeout) count only towards {@code consecutiveLocalOriginFailure}; when false they count as
 *     503/504 responses towards the 5xx and gateway-failure thresholds
 * @param interval how often ejected endpoints are checked for their return
 * @param baseEjectionTime multiplied by the endpoint's ejection count, capped by {@code maxEjectionTime}
 * @param maxEjectionPercent at most this share of the endpoints is ejected at once
 * @param alwaysEjectOneHost one endpoint may be ejected even when that exceeds {@code maxEjectionPercent}
 */
public record OutlierDetectionConfig(
    int consecutive5xx,
    int consecutiveGatewayFailure,
    int consecutiveLocalOriginFailure,
    int enforcingConsecutive5xx,
    int enforcingConsecutiveGatewayFailure,
    int enforcingConsecutiveLocalOriginFailure,
    boolean splitExternalLocalOriginErrors,
    Duration interval,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent,
    boolean alwaysEjectOneHost) {

  /** Envoy's defaults, for an empty {@code outlier_detection: {}}. */
  public static final OutlierDetectionConfig DEFAULTS =
      new OutlierDetectionConfig(
          5, 5, 5, 100, 0, 100, false,
          Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 10, false);
}
