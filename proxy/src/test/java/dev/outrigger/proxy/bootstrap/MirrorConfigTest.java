package dev.outrigger.proxy.bootstrap;

import static dev.outrigger.proxy.bootstrap.BaseBootstrap.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.MirrorPolicy;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.RouteAction;
import org.junit.jupiter.api.Test;

/** {@code request_mirror_policies} from Envoy's protos. */
class MirrorConfigTest {
  private static final String ROUTE_PATH = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config"
      + ".route_config.virtual_hosts[0].routes[0].route.request_mirror_policies";

  private static RouteAction.Forward forward(ProxyConfig config) {
    return (RouteAction.Forward) ((HttpConnectionManagerConfig) config.listeners().get(0).filterChains().get(0)
        .filter()).routeTable().virtualHosts().get(0).routes().get(0).action();
  }

  @Test
  void clusterShareAndSuffixTranslate() throws ConfigException {
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load()
        .set(ROUTE + "/route/request_mirror_policies", "[{cluster: backend},"
            + " {cluster: backend, runtime_fraction: {default_value: {numerator: 5, denominator: TEN_THOUSAND},"
            + " runtime_key: ignored}, disable_shadow_host_suffix_append: true}]")
        .text());

    assertThat(forward(config).mirrorPolicies()).containsExactly(
        new MirrorPolicy("backend", 1, 1, true), new MirrorPolicy("backend", 5, 10_000, false));
  }

  @Test
  void anUnknownClusterIsRejectedByFieldPath() {
    ConfigException error = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadYaml(
        BaseBootstrap.load().set(ROUTE + "/route/request_mirror_policies", "[{cluster: nowhere}]").text()));

    assertThat(error.getMessage()).contains(ROUTE_PATH + "[0].cluster").contains("nowhere");
  }

  @Test
  void unsupportedFieldsAreRejectedByFieldPath() {
    ConfigException error = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadYaml(
        BaseBootstrap.load().set(ROUTE + "/route/request_mirror_policies", "[{cluster_header: x-mirror}]").text()));

    assertThat(error.getMessage()).contains(ROUTE_PATH + "[0].cluster_header");
  }
}
