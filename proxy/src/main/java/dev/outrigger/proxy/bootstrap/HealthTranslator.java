package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.UInt32Value;
import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.config.HealthCheckConfig.GrpcProbe;
import dev.outrigger.proxy.config.HealthCheckConfig.HttpProbe;
import dev.outrigger.proxy.config.HealthCheckConfig.Probe;
import dev.outrigger.proxy.config.HealthCheckConfig.StatusRange;
import dev.outrigger.proxy.config.HealthCheckConfig.TcpProbe;
import dev.outrigger.proxy.config.OutlierDetectionConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.type.v3.Int64Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A cluster's {@code health_checks} and {@code outlier_detection}, with Envoy's defaults. */
final class HealthTranslator {
  private static final StatusRange OK_ONLY = new StatusRange(200, 201);

  private final Translation translation;

  HealthTranslator(Translation translation) {
    this.translation = translation;
  }

  /** At most one health check: Envoy runs each of a list, a rarity not worth its state here. */
  Optional<HealthCheckConfig> healthCheck(Cluster cluster, FieldPath path) {
    if (cluster.getHealthChecksCount() == 0) {
      return Optional.empty();
    }
    if (cluster.getHealthChecksCount() > 1) {
      translation.error(path, "at most one health check is supported, found " + cluster.getHealthChecksCount());
      return Optional.empty();
    }
    HealthCheck check = cluster.getHealthChecks(0);
    FieldPath checkPath = path.index(0);
    Duration timeout = required(check.hasTimeout(), checkPath.field("timeout"))
        ? translation.positiveDuration(check.getTimeout(), checkPath.field("timeout")) : Duration.ZERO;
    Duration interval = required(check.hasInterval(), checkPath.field("interval"))
        ? translation.positiveDuration(check.getInterval(), checkPath.field("interval")) : Duration.ZERO;
    Duration jitter = translation.duration(check.getIntervalJitter(), checkPath.field("interval_jitter"));
    int unhealthy = threshold(check.hasUnhealthyThreshold(), check.getUnhealthyThreshold(),
        checkPath.field("unhealthy_threshold"));
    int healthy = threshold(check.hasHealthyThreshold(), check.getHealthyThreshold(),
        checkPath.field("healthy_threshold"));
    int errors = translation.errorCount();
    Optional<Probe> probe = probe(check, cluster.getName(), checkPath);
    if (probe.isEmpty() || translation.errorCount() > errors) {
      return Optional.empty();
    }
    return Optional.of(new HealthCheckConfig(timeout, interval, jitter, check.getIntervalJitterPercent(),
        unhealthy, healthy, probe.get()));
  }

  private boolean required(boolean present, FieldPath path) {
    if (!present) {
      translation.error(path, "required");
    }
    return present;
  }

  private int threshold(boolean present, UInt32Value value, FieldPath path) {
    if (!required(present, path)) {
      return 1;
    }
    if (value.getValue() < 1) {
      translation.error(path, "must be at least 1");
    }
    return value.getValue();
  }

  private Optional<Probe> probe(HealthCheck check, String clusterName, FieldPath path) {
    switch (check.getHealthCheckerCase()) {
      case HTTP_HEALTH_CHECK:
        return http(check.getHttpHealthCheck(), clusterName, path.field("http_health_check"));
      case GRPC_HEALTH_CHECK:
        HealthCheck.GrpcHealthCheck grpc = check.getGrpcHealthCheck();
        return Optional.of(new GrpcProbe(grpc.getServiceName(),
            grpc.getAuthority().isEmpty() ? clusterName : grpc.getAuthority()));
      case TCP_HEALTH_CHECK:
        return Optional.of(new TcpProbe());
      default:
        translation.error(path, "one of http_health_check, grpc_health_check, tcp_health_check is required");
        return Optional.empty();
    }
  }

  private Optional<Probe> http(HealthCheck.HttpHealthCheck http, String clusterName, FieldPath path) {
    if (!http.getPath().startsWith("/")) {
      translation.error(path.field("path"), http.getPath().isEmpty() ? "required" : "must start with /");
      return Optional.empty();
    }
    List<StatusRange> expected = new ArrayList<>();
    for (int i = 0; i < http.getExpectedStatusesCount(); i++) {
      Int64Range range = http.getExpectedStatuses(i);
      if (range.getStart() < 100 || range.getEnd() > 600 || range.getStart() >= range.getEnd()) {
        translation.error(path.field("expected_statuses").index(i),
            "must be a range [start, end) with 100 <= start < end <= 600");
      } else {
        expected.add(new StatusRange((int) range.getStart(), (int) range.getEnd()));
      }
    }
    boolean http2;
    switch (http.getCodecClientType()) {
      case HTTP1:
        http2 = false;
        break;
      case HTTP2:
        http2 = true;
        break;
      default:
        translation.error(path.field("codec_client_type"), "must be HTTP1 or HTTP2");
        return Optional.empty();
    }
    return Optional.of(new HttpProbe(http.getPath(), http.getHost().isEmpty() ? clusterName : http.getHost(),
        expected.isEmpty() ? List.of(OK_ONLY) : expected, http2));
  }

  Optional<OutlierDetectionConfig> outlierDetection(Cluster cluster, FieldPath path) {
    if (!cluster.hasOutlierDetection()) {
      return Optional.empty();
    }
    OutlierDetection od = cluster.getOutlierDetection();
    OutlierDetectionConfig d = OutlierDetectionConfig.DEFAULTS;
    int errors = translation.errorCount();
    Duration interval = od.hasInterval()
        ? translation.positiveDuration(od.getInterval(), path.field("interval")) : d.interval();
    Duration base = od.hasBaseEjectionTime()
        ? translation.positiveDuration(od.getBaseEjectionTime(), path.field("base_ejection_time"))
        : d.baseEjectionTime();
    Duration max = od.hasMaxEjectionTime()
        ? translation.positiveDuration(od.getMaxEjectionTime(), path.field("max_ejection_time"))
        : d.maxEjectionTime();
    OutlierDetectionConfig config = new OutlierDetectionConfig(
        count(od.hasConsecutive5Xx(), od.getConsecutive5Xx(), d.consecutive5xx()),
        count(od.hasConsecutiveGatewayFailure(), od.getConsecutiveGatewayFailure(), d.consecutiveGatewayFailure()),
        count(od.hasConsecutiveLocalOriginFailure(), od.getConsecutiveLocalOriginFailure(),
            d.consecutiveLocalOriginFailure()),
        percent(od.hasEnforcingConsecutive5Xx(), od.getEnforcingConsecutive5Xx(), d.enforcingConsecutive5xx(),
            path.field("enforcing_consecutive_5xx")),
        percent(od.hasEnforcingConsecutiveGatewayFailure(), od.getEnforcingConsecutiveGatewayFailure(),
            d.enforcingConsecutiveGatewayFailure(), path.field("enforcing_consecutive_gateway_failure")),
        percent(od.hasEnforcingConsecutiveLocalOriginFailure(), od.getEnforcingConsecutiveLocalOriginFailure(),
            d.enforcingConsecutiveLocalOriginFailure(), path.field("enforcing_consecutive_local_origin_failure")),
        od.getSplitExternalLocalOriginErrors(),
        interval,
        base,
        max,
        percent(od.hasMaxEjectionPercent(), od.getMaxEjectionPercent(), d.maxEjectionPercent(),
            path.field("max_ejection_percent")),
        od.hasAlwaysEjectOneHost() && od.getAlwaysEjectOneHost().getValue());
    if (!od.getSplitExternalLocalOriginErrors()
        && (od.hasConsecutiveLocalOriginFailure() || od.hasEnforcingConsecutiveLocalOriginFailure())) {
      translation.error(path.field("split_external_local_origin_errors"),
          "must be true when consecutive_local_origin_failure settings are given (else they have no effect)");
    }
    return translation.errorCount() > errors ? Optional.empty() : Optional.of(config);
  }

  private static int count(boolean present, UInt32Value value, int fallback) {
    return present ? value.getValue() : fallback;
  }

  private int percent(boolean present, UInt32Value value, int fallback, FieldPath path) {
    if (!present) {
      return fallback;
    }
    if (value.getValue() > 100) {
      translation.error(path, "must be at most 100");
    }
    return value.getValue();
  }
}
