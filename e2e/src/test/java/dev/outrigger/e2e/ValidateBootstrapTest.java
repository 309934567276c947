package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code outrigger proxy --validate}: exit 0 for a good bootstrap, else every problem by its field path. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class ValidateBootstrapTest {
  private static final String HCM = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config";

  @RegisterExtension static final ProxyProcesses proxies = new ProxyProcesses();

  @Test
  void acceptsAGoodBootstrap() throws Exception {
    String good =
        new Bootstrap()
            .httpListener("http", "app")
            .tcpListener("tcp", "app")
            .cluster("app", 9)
            .yaml();

    ProxyProcesses.Exited validation = proxies.run(good, "--validate");

    assertThat(validation.code()).as(validation.output()).isZero();
  }

  @Test
  void listsEveryProblemOfABrokenBootstrapByFieldPath() throws Exception {
    String broken =
        new Bootstrap()
            .httpListener("http", "missing")
            .cluster("app", 9)
            .yaml()
            // one problem per kind of check: the document's shape, the supported subset, meaning
            .replace("type: STATIC", "type: STATIC\n    lb_polcy: RANDOM\n    lb_policy: CLUSTER_PROVIDED")
            .replace("connect_timeout: 2s", "connect_timeout: 0s");

    ProxyProcesses.Exited validation = proxies.run(broken, "--validate");

    assertThat(validation.code()).as(validation.output()).isNotZero();
    assertThat(validation.output().lines())
        .as(validation.output())
        .anySatisfy(line -> assertThat(line).startsWith("static_resources.clusters[0].lb_polcy:"))
        .anySatisfy(line -> assertThat(line).startsWith("static_resources.clusters[0].lb_policy:").contains("CLUSTER_PROVIDED"))
        .anySatisfy(line -> assertThat(line).startsWith("static_resources.clusters[0].connect_timeout:"))
        .anySatisfy(line -> assertThat(line)
            .startsWith(HCM + ".route_config.virtual_hosts[0].routes[0].route.cluster:")
            .contains("\"missing\""));
  }
}
