package dev.outrigger.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.DiscoveryType;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.tls.TestPki;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The whole proxy, from config to bytes: TLS terminated by SNI chain, TCP to a STRICT_DNS cluster. */
class ProxyTcpTest {

  @Test
  void terminatesTlsAndProxiesTcpToAStrictDnsCluster() throws Exception {
    TestPki pki = TestPki.get();
    try (BlockingTcpServer upstream =
        new BlockingTcpServer(
            socket -> {
              InputStream in = socket.getInputStream();
              byte[] chunk = new byte[1024];
              for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                socket.getOutputStream().write(chunk, 0, n);
              }
            })) {
      ClusterConfig cluster =
          new ClusterConfig(
              "echo", DiscoveryType.STRICT_DNS, Duration.ofSeconds(2), LbPolicy.LEAST_REQUEST,
              List.of(new EndpointConfig("localhost", upstream.port(), 1)),
              ClusterConfig.UpstreamProtocol.HTTP1, Optional.empty(), Duration.ofSeconds(5));
      FilterChainConfig chain =
          new FilterChainConfig(
              "echo-tls",
              new FilterChainMatch(OptionalInt.empty(), List.of("echo.example.com"), Optional.of("tls"), List.of()),
              Optional.of(new DownstreamTlsConfig(pki.server, Optional.empty(), false, List.of())),
              new TcpProxyConfig("echo", WeightedClusters.single("echo"), Duration.ofMinutes(1), List.of()));
      ListenerConfig listener =
          new ListenerConfig(
              "in", new InetSocketAddress("127.0.0.1", 0), List.of(ListenerConfig.Inspector.TLS),
              Duration.ofSeconds(5), List.of(chain), Optional.empty(), ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES);
      ProxyConfig config =
          new ProxyConfig(new ProxyConfig.Node("n", "c"), Optional.empty(), List.of(listener), Map.of("echo", cluster));

      try (Proxy proxy = Proxy.start(config, 1)) {
        InetSocketAddress address = proxy.listenerAddress("in");
        try (SSLSocket client =
            (SSLSocket) pki.jdkClientContext(pki.caPem, null).getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
          client.setSoTimeout(20_000);
          javax.net.ssl.SSLParameters parameters = client.getSSLParameters();
          parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName("echo.example.com")));
          client.setSSLParameters(parameters);
          client.getOutputStream().write("through tls and tcp".getBytes(StandardCharsets.US_ASCII));
          client.getOutputStream().flush();

          assertThat(new String(client.getInputStream().readNBytes(19), StandardCharsets.US_ASCII))
              .isEqualTo("through tls and tcp");
        }
      }
    }
  }
}
