package dev.outrigger.proxy.http.filter;

import static dev.outrigger.proxy.http.filter.FilterBootstrap.ALL_TO_APP;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.FAULT;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.HCM_PATH;
import static dev.outrigger.proxy.http.filter.FilterBootstrap.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.authz.HttpRbacConfig;
import dev.outrigger.proxy.authz.RbacRules;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.bootstrap.ConfigError;
import dev.outrigger.proxy.bootstrap.ConfigException;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code envoy.filters.http.rbac} and {@code RBACPerRoute} in the bootstrap: what translates, and the errors by path. */
class RbacFilterConfigTest {
  private static final String RBAC = "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC";
  private static final String PER_ROUTE = "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute";
  private static final String ALLOW_CART = "rules: {policies: {cart: {permissions: [{any: true}], "
      + "principals: [{authenticated: {principal_name: {exact: 'spiffe://test/ns/shop/sa/cart'}}}]}}}";
  private static final String ROUTE = HCM_PATH + ".route_config.virtual_hosts[0].routes[0].typed_per_filter_config";

  @Test
  void theFilterTranslatesToItsRules() throws Exception {
    HttpConnectionManagerConfig hcm = (HttpConnectionManagerConfig) BootstrapLoader.loadYaml(FilterBootstrap.yaml(8080,
            List.of(filter("rbac", RBAC, ALLOW_CART + ", shadow_rules: {action: DENY}")), List.of(routeWith("rbac", "{'@type': " + PER_ROUTE + "}"))))
        .listeners().get(0).filterChains().get(0).filter();

    HttpRbacConfig rbac = (HttpRbacConfig) hcm.httpFilters().get(0).settings();
    assertThat(rbac.rules()).hasValueSatisfying(rules -> {
      assertThat(rules.action()).isEqualTo(RbacRules.Action.ALLOW);
      assertThat(rules.policies()).singleElement().satisfies(policy -> assertThat(policy.name()).isEqualTo("cart"));
    });
    assertThat(rbac.shadowRules()).hasValueSatisfying(rules -> assertThat(rules.action()).isEqualTo(RbacRules.Action.DENY));
  }

  @Test
  void rulesOutsideTheSubsetAreRejectedByPath() {
    assertThat(errors(List.of(filter("rbac", RBAC, "rules: {action: LOG}, rules_stat_prefix: r")), ALL_TO_APP))
        .containsExactlyInAnyOrder(
            HCM_PATH + ".http_filters[0].typed_config.rules.action: LOG is not supported (supported: ALLOW, DENY)",
            HCM_PATH + ".http_filters[0].typed_config.rules_stat_prefix: not supported");
  }

  @Test
  void aRouteOverrideMustBeAnRbacPerRouteWithValidRules() {
    assertThat(errors(List.of(filter("rbac", RBAC, ALLOW_CART)), routeWith("rbac", "{'@type': " + RBAC + "}")))
        .containsExactly(ROUTE + "[rbac]: unsupported per-filter config rbac (RBAC does not belong here)");
    assertThat(errors(List.of(filter("rbac", RBAC, ALLOW_CART)),
            routeWith("rbac", "{'@type': " + PER_ROUTE + ", rbac: {rules: {policies: {p: {permissions: [{any: true}]}}}}}")))
        .containsExactly(ROUTE + "[rbac].rbac.rules.policies[p].principals: required: at least one entry");
  }

  @Test
  void anRbacPerRouteFitsNoOtherFilter() {
    assertThat(errors(List.of(filter("fault", FAULT, "")), routeWith("fault", "{'@type': " + PER_ROUTE + "}")))
        .containsExactly(ROUTE + "[fault]: HTTP filter fault takes envoy.extensions.filters.http.fault.v3.HTTPFault here,"
            + " not envoy.extensions.filters.http.rbac.v3.RBACPerRoute");
  }

  private static String routeWith(String filter, String override) {
    return "{name: vh, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: app}, typed_per_filter_config: {"
        + filter + ": " + override + "}}]}";
  }

  private static List<String> errors(List<String> filters, String virtualHost) {
    ConfigException failure = catchThrowableOfType(ConfigException.class,
        () -> BootstrapLoader.loadYaml(FilterBootstrap.yaml(8080, filters, List.of(virtualHost))));
    assertThat(failure).as("the config should be rejected").isNotNull();
    return failure.errors().stream().map(ConfigError::toString).toList();
  }
}
