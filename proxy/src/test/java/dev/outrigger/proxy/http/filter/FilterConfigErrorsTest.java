package dev.outrigger.proxy.http.filter;

import static dev.outrigger.proxy.http.filter.FilterBootstrap.ALL_TO_APP;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.FAULT;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.HCM_PATH;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.RATELIMIT;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.filter;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.override;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.bootstrap.ConfigError;
import dev.outrigger.proxy.bootstrap.ConfigException;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.http.filter.fault.FaultSettings;
import dev.outrigger.proxy.http.filter.ratelimit.LocalRateLimitSettings;
import dev.outrigger.proxy.http.filter.ratelimit.TokenBucketSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Translation of HTTP filters and their per-route overrides, and the errors by field path. */
class FilterConfigErrorsTest {
  private static final String FILTERS = HCM_PATH + ".http_filters";
  private static final String ROUTES = HCM_PATH + ".route_config.virtual_hosts[0].routes[0]";

  private static List<String> errors(List<String> filters, List<String> virtualHosts) {
    ConfigException failure = catchThrowableOfType(ConfigException.class,
        () -> BootstrapLoader.loadYaml(FilterBootstrap.yaml(8080, filters, virtualHosts)));
    assertThat(failure).as("the config should be rejected").isNotNull();
    return failure.errors().stream().map(ConfigError::toString).toList();
  }

  private static List<String> errors(String... filters) {
    return errors(List.of(filters), List.of(ALL_TO_APP));
  }

  private static String routeWith(String perFilterConfig) {
    return "{name: vh, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: app}, typed_per_filter_config: "
        + perFilterConfig + "}]}";
  }

  @Test
  void translatesBothFilters() throws Exception {
    HttpConnectionManagerConfig hcm = (HttpConnectionManagerConfig) BootstrapLoader.loadYaml(FilterBootstrap.yaml(8080,
            List.of(
                filter("fault", FAULT, "delay: {fixed_delay: 0.5s, percentage: {numerator: 10}},"
                    + " abort: {grpc_status: 14, percentage: {numerator: 5, denominator: TEN_THOUSAND}}, max_active_faults: 3"),
                filter("rl", RATELIMIT, "stat_prefix: rl, token_bucket: {max_tokens: 10, fill_interval: 1s},"
                    + " filter_enabled: {default_value: {numerator: 100}}, enable_x_ratelimit_headers: DRAFT_VERSION_03")),
            List.of(ALL_TO_APP)))
        .listeners().get(0).filterChains().get(0).filter();

    assertThat(hcm.httpFilters()).hasSize(2);
    assertThat(hcm.httpFilters().get(0).name()).isEqualTo("fault");
    assertThat(hcm.httpFilters().get(0).settings()).isEqualTo(new FaultSettings(
        Optional.of(new FaultSettings.Delay(Optional.of(Duration.ofMillis(500)), new Percentage(10, 100))),
        Optional.of(new FaultSettings.Abort(OptionalInt.empty(), OptionalInt.of(14), new Percentage(5, 10_000))),
        OptionalInt.of(3)));
    LocalRateLimitSettings rateLimit = (LocalRateLimitSettings) hcm.httpFilters().get(1).settings();
    assertThat(rateLimit.tokenBucket()).contains(new TokenBucketSettings(10, 1, Duration.ofSeconds(1)));
    assertThat(rateLimit.status()).isEqualTo(429);
    assertThat(rateLimit.enabled()).isEqualTo(new Percentage(100, 100));
    assertThat(rateLimit.enforced()).isEqualTo(Percentage.NONE);
    assertThat(rateLimit.rateLimitHeaders()).isTrue();
    assertThat(rateLimit.perConnection()).isFalse();
  }

  @Test
  void unknownFiltersAreRejectedByPath() {
    assertThat(errors(filter("envoy.filters.http.lua", "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua", "")))
        .containsExactly(FILTERS + "[0].typed_config: unsupported HTTP filter envoy.filters.http.lua");
  }

  @Test
  void theRouterMustBeLast() {
    assertThat(errors(FilterBootstrap.ROUTER, filter("fault", FAULT, ""))).containsExactly(
        FILTERS + "[0]: envoy.filters.http.router must be the last filter");
    ConfigException failure = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadYaml(
        FilterBootstrap.withChain(8080, filter("fault", FAULT, ""), List.of(ALL_TO_APP))));
    assertThat(failure.errors()).map(ConfigError::toString).containsExactly(
        FILTERS + "[0]: the last filter must be envoy.filters.http.router");
  }

  @Test
  void filterNamesAreRequiredAndUnique() {
    assertThat(errors(filter("''", FAULT, ""))).containsExactly(
        FILTERS + "[0].name: required: per-route configs find their filter by name");
    assertThat(errors(filter("f", FAULT, ""), filter("f", FAULT, ""))).containsExactly(
        FILTERS + "[1].name: another filter is named \"f\"");
  }

  @Test
  void faultProblems() {
    assertThat(errors(filter("f", FAULT, "abort: {percentage: {numerator: 1}}, delay: {percentage: {numerator: 1}}")))
        .containsExactlyInAnyOrder(
            FILTERS + "[0].typed_config.abort: one of http_status, grpc_status, header_abort is required",
            FILTERS + "[0].typed_config.delay: one of fixed_delay, header_delay is required");
    assertThat(errors(filter("f", FAULT, "abort: {http_status: 600}"))).containsExactly(
        FILTERS + "[0].typed_config.abort.http_status: must be between 200 and 599, got 600");
    assertThat(errors(filter("f", FAULT, "abort: {grpc_status: 17}"))).containsExactly(
        FILTERS + "[0].typed_config.abort.grpc_status: must be a gRPC status code (0-16), got 17");
    assertThat(errors(filter("f", FAULT, "headers: [{name: x, present_match: true}], upstream_cluster: app")))
        .containsExactlyInAnyOrder(
            FILTERS + "[0].typed_config.headers: not supported",
            FILTERS + "[0].typed_config.upstream_cluster: not supported");
  }

  @Test
  void rateLimitProblems() {
    assertThat(errors(filter("r", RATELIMIT, "stat_prefix: r, token_bucket: {max_tokens: 0, tokens_per_fill: 0, fill_interval: 0.01s}")))
        .containsExactlyInAnyOrder(
            FILTERS + "[0].typed_config.token_bucket.max_tokens: must be at least 1",
            FILTERS + "[0].typed_config.token_bucket.tokens_per_fill: must be at least 1",
            FILTERS + "[0].typed_config.token_bucket.fill_interval: must be at least 50ms, as in Envoy");
    assertThat(errors(filter("r", RATELIMIT, "token_bucket: {max_tokens: 1}")))
        .containsExactlyInAnyOrder(
            FILTERS + "[0].typed_config.stat_prefix: required",
            FILTERS + "[0].typed_config.token_bucket.fill_interval: required");
    assertThat(errors(filter("r", RATELIMIT, "stat_prefix: r, descriptors: [{entries: [{key: a, value: b}]}]")))
        .containsExactly(FILTERS + "[0].typed_config.descriptors: not supported");
  }

  @Test
  void perRouteOverrideProblems() {
    List<String> filters = List.of(filter("fault", FAULT, ""), filter("rl", RATELIMIT, "stat_prefix: rl"));
    assertThat(errors(filters, List.of(routeWith("{nobody: " + override(FAULT, "abort: {http_status: 503}") + "}"))))
        .containsExactly(ROUTES + ".typed_per_filter_config[nobody]: no HTTP filter named \"nobody\" in http_filters");
    assertThat(errors(filters, List.of(routeWith("{fault: " + override(RATELIMIT, "stat_prefix: x") + "}"))))
        .containsExactly(ROUTES + ".typed_per_filter_config[fault]: HTTP filter fault takes"
            + " envoy.extensions.filters.http.fault.v3.HTTPFault here, not envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit");
    assertThat(errors(filters, List.of(routeWith("{rl: " + override(RATELIMIT, "stat_prefix: x") + "}"))))
        .containsExactly(ROUTES + ".typed_per_filter_config[rl].token_bucket: required in a per-route config");
    assertThat(errors(filters, List.of(routeWith("{fault: " + override(FAULT, "abort: {http_status: 100}") + "}"))))
        .containsExactly(ROUTES + ".typed_per_filter_config[fault].abort.http_status: must be between 200 and 599, got 100");
    assertThat(errors(filters, List.of(routeWith(
            "{lua: {'@type': type.googleapis.com/envoy.extensions.filters.http.lua.v3.LuaPerRoute, disabled: true}}"))))
        .containsExactly(ROUTES + ".typed_per_filter_config[lua]: unsupported per-filter config lua");
  }
}
