package dev.outrigger.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The demo's bootstrap is real Envoy v3, read by protobuf's own JSON parser (which rejects unknown
 * fields and unresolvable typed configs) and not only by our loader, so it would run on Envoy too.
 */
class DemoBootstrapTest {

  @Test
  void bundledBootstrapIsValidEnvoyV3() throws Exception {
    Bootstrap bootstrap = parseAsEnvoy();

    assertThat(bootstrap.getStaticResources().getListenersList())
        .extracting(listener -> listener.getName() + "@" + listener.getAddress().getSocketAddress().getPortValue())
        .containsExactly("demo_http@10000", "demo_tcp@10001");
    assertThat(bootstrap.getStaticResources().getClustersList())
        .extracting(cluster -> cluster.getName())
        .containsExactly("app_a", "app_b");
    assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(9901);
  }

  private static Bootstrap parseAsEnvoy() throws Exception {
    String json;
    try (InputStream yaml = DemoBootstrap.class.getResourceAsStream("/demo/bootstrap.yaml")) {
      json = new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    }
    JsonFormat.TypeRegistry typedConfigs =
        JsonFormat.TypeRegistry.newBuilder()
            .add(HttpConnectionManager.getDescriptor())
            .add(TcpProxy.getDescriptor())
            .add(Router.getDescriptor())
            .add(StdoutAccessLog.getDescriptor())
            .build();
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(typedConfigs).merge(json, bootstrap);
    return bootstrap.build();
  }
}
