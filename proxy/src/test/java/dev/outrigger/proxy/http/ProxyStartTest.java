package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connection manager as the proxy installs it: Proxy.start with a hand-built config. */
class ProxyStartTest {

  @Test
  void proxyServesHttp1AndDetectsH2cOnOneListener() throws Exception {
    try (TestUpstream upstream = TestUpstream.h2c()) {
      TestProxy.Builder routes = TestProxy.builder().forward("/", "backend").cluster("backend", upstream.port(), UpstreamProtocol.HTTP2);
      ListenerConfig listener =
          new ListenerConfig(
              "ingress",
              new InetSocketAddress("127.0.0.1", 0),
              List.of(),
              ListenerConfig.DEFAULT_INSPECTION_TIMEOUT,
              List.of(new FilterChainConfig("http", FilterChainMatch.ANY, Optional.empty(), routes.hcmConfig())),
              Optional.empty(),
              ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES);
      ProxyConfig config = new ProxyConfig(new ProxyConfig.Node("test", "test"), Optional.empty(), List.of(listener), routes.clusters());

      try (Proxy proxy = Proxy.start(config, 1)) {
        int port = proxy.listenerAddress("ingress").getPort();
        String body =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(), BodyHandlers.ofString())
                .body();
        assertThat(body).isEqualTo("ok");
        try (H2cClient h2 = new H2cClient(port)) {
          assertThat(h2.get("/again").get(10, TimeUnit.SECONDS).body()).isEqualTo("ok");
        }
      }
    }
  }
}
