package dev.outrigger.proxy.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/examples/bootstrap-http.yaml is what newcomers copy: it must stay valid. */
class ExampleBootstrapTest {
  static final Path EXAMPLE = Path.of("../docs/examples/bootstrap-http.yaml");

  @Test
  void theDocumentedExampleValidates() throws ConfigException {
    ProxyConfig config = BootstrapLoader.load(EXAMPLE);

    assertThat(config.listeners()).extracting(l -> l.name()).containsExactly("http", "tcp");
    HttpConnectionManagerConfig http =
        (HttpConnectionManagerConfig) config.listeners().get(0).filterChains().get(0).filter();
    assertThat(http.routeTable().virtualHosts()).extracting(VirtualHostConfig::name).containsExactly("api", "web");
    assertThat(http.routeTable().virtualHosts().get(0).routes()).hasSize(4);
    assertThat(config.listeners().get(1).filterChains().get(0).filter()).isInstanceOf(TcpProxyConfig.class);
    assertThat(config.clusters()).containsOnlyKeys("api-v1", "api-v2");
    assertThat(config.adminAddress()).isPresent();
  }
}
