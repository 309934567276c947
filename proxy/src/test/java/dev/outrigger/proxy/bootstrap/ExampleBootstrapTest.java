package dev.outrigger.proxy.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ProxyConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExampleBootstrapTest {
  @Test
  void theDocumentedExampleValidates() throws Exception {
    ProxyConfig config;
    try {
      config = BootstrapLoader.load(Path.of("../docs/examples/bootstrap-http.yaml"));
    } catch (ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    System.out.println(config);
    assertThat(config.listeners()).hasSize(2);
    assertThat(config.clusters()).containsOnlyKeys("api-v1", "api-v2");
  }
}
