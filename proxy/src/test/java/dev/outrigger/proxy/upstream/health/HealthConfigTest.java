package dev.outrigger.proxy.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.bootstrap.ConfigError;
import dev.outrigger.proxy.bootstrap.ConfigException;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.config.HealthCheckConfig.GrpcProbe;
import dev.outrigger.proxy.config.HealthCheckConfig.HttpProbe;
import dev.outrigger.proxy.config.HealthCheckConfig.StatusRange;
import dev.outrigger.proxy.config.OutlierDetectionConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code health_checks} and {@code outlier_detection} from a bootstrap: defaults, values, rejections by path. */
class HealthConfigTest {
  private static final String PATH = "static_resources.clusters[0]";

  private static String bootstrap(String clusterFields) {
    return """
        static_resources:
          clusters:
          - name: svc
            load_assignment:
              cluster_name: svc
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 8080 } } }
        """ + clusterFields.indent(4);
  }

  private static ClusterConfig cluster(String clusterFields) throws ConfigException {
    return BootstrapLoader.loadYaml(bootstrap(clusterFields)).clusters().get("svc");
  }

  private static List<String> errors(String clusterFields) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> cluster(clusterFields));
    assertThat(e).as("rejected").isNotNull();
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void anHttpCheckWithEnvoysDefaults() throws Exception {
    HealthCheckConfig check = cluster("""
        health_checks:
        - { timeout: 1s, interval: 5s, unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: /healthz } }
        """).healthCheck().orElseThrow();
    assertThat(check).isEqualTo(new HealthCheckConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO, 0, 3, 2,
        new HttpProbe("/healthz", "svc", List.of(new StatusRange(200, 201)), false)));
  }

  @Test
  void aGrpcCheckWithJitterAndAnAuthority() throws Exception {
    HealthCheckConfig check = cluster("""
        health_checks:
        - timeout: 1s
          interval: 5s
          interval_jitter: 1s
          interval_jitter_percent: 10
          unhealthy_threshold: 1
          healthy_threshold: 1
          grpc_health_check: { service_name: orders, authority: orders.internal }
        """).healthCheck().orElseThrow();
    assertThat(check.probe()).isEqualTo(new GrpcProbe("orders", "orders.internal"));
    assertThat(check.intervalJitter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(check.intervalJitterPercent()).isEqualTo(10);
  }

  @Test
  void outlierDetectionWithEnvoysDefaults() throws Exception {
    assertThat(cluster("outlier_detection: {}").outlierDetection()).contains(OutlierDetectionConfig.DEFAULTS);
    assertThat(cluster("").outlierDetection()).isEmpty();
    assertThat(cluster("").healthCheck()).isEmpty();
  }

  @Test
  void outlierDetectionValues() throws Exception {
    OutlierDetectionConfig od = cluster("""
        outlier_detection:
          consecutive_5xx: 3
          consecutive_gateway_failure: 2
          enforcing_consecutive_gateway_failure: 100
          split_external_local_origin_errors: true
          consecutive_local_origin_failure: 4
          interval: 1s
          base_ejection_time: 2s
          max_ejection_time: 20s
          max_ejection_percent: 50
          always_eject_one_host: true
        """).outlierDetection().orElseThrow();
    assertThat(od).isEqualTo(new OutlierDetectionConfig(3, 2, 4, 100, 100, 100, true, Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(20), 50, true));
  }

  @Test
  void rejectionsNameTheField() {
    assertThat(errors("""
        health_checks:
        - { interval: 5s, unhealthy_threshold: 0, healthy_threshold: 1, http_health_check: { path: healthz, expected_statuses: [{ start: 300, end: 200 }] } }
        """)).contains(
            PATH + ".health_checks[0].timeout: required",
            PATH + ".health_checks[0].unhealthy_threshold: must be at least 1",
            PATH + ".health_checks[0].http_health_check.path: must start with /");
    assertThat(errors("""
        health_checks:
        - { timeout: 1s, interval: 5s, unhealthy_threshold: 1, healthy_threshold: 1, tcp_health_check: { send: { text: "00" } } }
        """)).containsExactly(PATH + ".health_checks[0].tcp_health_check.send: not supported");
    assertThat(errors("""
        health_checks:
        - { timeout: 1s, interval: 5s, unhealthy_threshold: 1, healthy_threshold: 1, no_traffic_interval: 1s, tcp_health_check: {} }
        """)).containsExactly(PATH + ".health_checks[0].no_traffic_interval: not supported");
    assertThat(errors("""
        outlier_detection: { success_rate_minimum_hosts: 3 }
        """)).containsExactly(PATH + ".outlier_detection.success_rate_minimum_hosts: not supported");
    assertThat(errors("outlier_detection: { max_ejection_percent: 101 }"))
        .containsExactly(PATH + ".outlier_detection.max_ejection_percent: must be at most 100");
    assertThat(errors("outlier_detection: { consecutive_local_origin_failure: 2 }"))
        .containsExactly(PATH + ".outlier_detection.split_external_local_origin_errors: must be true when "
            + "consecutive_local_origin_failure settings are given (else they have no effect)");
  }

  @Test
  void atMostOneHealthCheck() {
    String one = "{ timeout: 1s, interval: 5s, unhealthy_threshold: 1, healthy_threshold: 1, tcp_health_check: {} }";
    assertThat(errors("health_checks: [" + one + ", " + one + "]"))
        .containsExactly(PATH + ".health_checks: at most one health check is supported, found 2");
  }
}
