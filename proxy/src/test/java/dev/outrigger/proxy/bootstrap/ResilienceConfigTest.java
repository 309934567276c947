package dev.outrigger.proxy.bootstrap;

import static dev.outrigger.proxy.bootstrap.BaseBootstrap.CLUSTER;
import static dev.outrigger.proxy.bootstrap.BaseBootstrap.HCM;
import static dev.outrigger.proxy.bootstrap.BaseBootstrap.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.MaxStreamDuration;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.RetryPolicy.RetryOn;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.VirtualHostConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Circuit breakers, retry policies, retry buffers and stream durations from Envoy's protos. */
class ResilienceConfigTest {
  private static final String VHOST = HCM + "/route_config/virtual_hosts/0";
  private static final String ROUTE_PATH = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config"
      + ".route_config.virtual_hosts[0].routes[0]";

  private static VirtualHostConfig virtualHost(ProxyConfig config) {
    return ((HttpConnectionManagerConfig) config.listeners().get(0).filterChains().get(0).filter())
        .routeTable().virtualHosts().get(0);
  }

  private static ConfigException rejected(BaseBootstrap bootstrap) {
    return catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadYaml(bootstrap.text()));
  }

  @Test
  void absentSettingsTakeEnvoysDefaults() throws ConfigException {
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load().text());

    assertThat(config.clusters().get("backend").circuitBreakers()).isEqualTo(CircuitBreakers.DEFAULTS);
    VirtualHostConfig host = virtualHost(config);
    assertThat(host.retryPolicy()).isEmpty();
    RouteAction.Forward forward = (RouteAction.Forward) host.routes().get(0).action();
    assertThat(forward.retryPolicy()).isEmpty();
    assertThat(forward.maxStreamDuration()).isEqualTo(MaxStreamDuration.NONE);
  }

  @Test
  void everySupportedFieldTranslates() throws ConfigException {
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load()
        .set(CLUSTER + "/circuit_breakers", "{thresholds: [{priority: DEFAULT, max_connections: 10,"
            + " max_pending_requests: 20, max_requests: 30, max_retries: 4, retry_budget: {budget_percent: {value: 25}}}]}")
        .set(VHOST + "/retry_policy", "{retry_on: 'reset'}")
        .set(VHOST + "/per_request_buffer_limit_bytes", "1000")
        .set(VHOST + "/include_request_attempt_count", "true")
        .set(VHOST + "/include_attempt_count_in_response", "true")
        .set(ROUTE + "/per_request_buffer_limit_bytes", "2000")
        .set(ROUTE + "/route/retry_policy", "{retry_on: '5xx, retriable-status-codes,unavailable', num_retries: 3,"
            + " per_try_timeout: 0.5s, retry_back_off: {base_interval: 0.1s}, retriable_status_codes: [418],"
            + " retry_host_predicate: [{name: envoy.retry_host_predicates.previous_hosts, typed_config: {'@type':"
            + " type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate}}],"
            + " host_selection_retry_max_attempts: 5}")
        .set(ROUTE + "/route/max_stream_duration", "{max_stream_duration: 30s, grpc_timeout_header_max: 0s,"
            + " grpc_timeout_header_offset: 0.1s}")
        .text());

    ClusterConfig cluster = config.clusters().get("backend");
    assertThat(cluster.circuitBreakers()).isEqualTo(new CircuitBreakers(10, 20, 30, 4,
        Optional.of(new CircuitBreakers.RetryBudget(25, 3))));
    VirtualHostConfig host = virtualHost(config);
    assertThat(host.retryPolicy().map(RetryPolicy::retryOn)).hasValue(Set.of(RetryOn.RESET));
    assertThat(host.perRequestBufferLimitBytes()).hasValue(1000);
    assertThat(host.includeRequestAttemptCount()).isTrue();
    assertThat(host.includeAttemptCountInResponse()).isTrue();
    RouteAction.Forward forward = (RouteAction.Forward) host.routes().get(0).action();
    assertThat(forward.perRequestBufferLimitBytes()).hasValue(2000);
    assertThat(forward.retryPolicy()).hasValue(new RetryPolicy(
        Set.of(RetryOn.FIVE_XX, RetryOn.RETRIABLE_STATUS_CODES, RetryOn.UNAVAILABLE), 3,
        Optional.of(Duration.ofMillis(500)), Duration.ofMillis(100), Duration.ofSeconds(1), Set.of(418), true, 5));
    assertThat(forward.maxStreamDuration()).isEqualTo(new MaxStreamDuration(Optional.of(Duration.ofSeconds(30)),
        Optional.of(Duration.ZERO), Optional.of(Duration.ofMillis(100))));
  }

  @Test
  void whatIsOutsideTheSubsetOrOutOfRangeIsRejectedByPath() {
    ConfigException e = rejected(BaseBootstrap.load()
        .set(CLUSTER + "/circuit_breakers", "{thresholds: [{priority: HIGH}], per_host_thresholds: [{}]}")
        .set(ROUTE + "/route/retry_policy", "{retry_on: '5xx,reset-before-request', per_try_idle_timeout: 1s,"
            + " retry_back_off: {base_interval: 1s, max_interval: 0.5s}, retriable_status_codes: [600]}"));

    assertThat(e.errors()).extracting(ConfigError::toString).containsExactlyInAnyOrder(
        "static_resources.clusters[0].circuit_breakers.per_host_thresholds: not supported",
        "static_resources.clusters[0].circuit_breakers.thresholds[0].priority: HIGH is not supported (supported: DEFAULT)",
        ROUTE_PATH + ".route.retry_policy.per_try_idle_timeout: not supported",
        ROUTE_PATH + ".route.retry_policy.retry_on: unsupported retry condition \"reset-before-request\" (supported: "
            + "5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, retriable-status-codes,"
            + " cancelled, deadline-exceeded, internal, resource-exhausted, unavailable)",
        ROUTE_PATH + ".route.retry_policy.retry_back_off.max_interval: must not be less than base_interval",
        ROUTE_PATH + ".route.retry_policy.retriable_status_codes[0]: must be between 100 and 599, got 600");
  }
}
