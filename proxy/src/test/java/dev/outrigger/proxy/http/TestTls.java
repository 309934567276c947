package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.upstream.CircuitBreakerState;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** TLS for tests: a throwaway self-signed certificate (made by openssl) and ALPN on both ends. */
final class TestTls {
  private TestTls() {}

  static SslContext server(String... alpn) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("outrigger-tls");
    File key = dir.resolve("key.pem").toFile();
    File cert = dir.resolve("cert.pem").toFile();
    Process openssl =
        new ProcessBuilder(
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.getPath(), "-out", cert.getPath(), "-days", "1", "-subj", "/CN=localhost")
            .redirectErrorStream(true)
            .start();
    openssl.getInputStream().readAllBytes();
    if (openssl.waitFor() != 0) {
      throw new IOException("openssl could not make a certificate");
    }
    return SslContextBuilder.forServer(cert, key).applicationProtocolConfig(alpn(alpn)).build();
  }

  /**
   * A cluster of one endpoint that connects with TLS and offers h2 and http/1.1 by ALPN, as the
   * cluster manager's TLS clusters do (SslHandler first in the pipeline, auto-read off). The proxy's
   * loops must be {@link Transport#best()}'s, as TestProxy's are.
   */
  static UpstreamCluster alpnCluster(String name, int port) throws IOException {
    SslContext client =
        SslContextBuilder.forClient()
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .applicationProtocolConfig(alpn(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
            .build();
    Endpoint endpoint = new Endpoint(new InetSocketAddress("127.0.0.1", port), 1);
    ClusterConfig config =
        new ClusterConfig(
            name,
            ClusterConfig.DiscoveryType.STATIC,
            Duration.ofSeconds(2),
            ClusterConfig.LbPolicy.ROUND_ROBIN,
            List.of(new ClusterConfig.EndpointConfig("127.0.0.1", port, 1)),
            ClusterConfig.UpstreamProtocol.ALPN,
            Optional.empty(),
            ClusterConfig.DEFAULT_DNS_REFRESH_RATE);
    CircuitBreakerState breakers = new CircuitBreakerState(config.circuitBreakers(), UpstreamConnectionEvents.NONE);
    return new UpstreamCluster() {
      @Override
      public ClusterConfig config() {
        return config;
      }

      @Override
      public CircuitBreakerState breakers() {
        return breakers;
      }

      @Override
      public Endpoint pick(long hash) {
        return endpoint;
      }

      @Override
      public ChannelFuture connect(EventLoop loop, Endpoint target, ChannelHandler handler) {
        return new Bootstrap()
            .group(loop)
            .channel(Transport.best().channelClass())
            .option(ChannelOption.AUTO_READ, false)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(client.newHandler(ch.alloc(), "localhost", port), handler);
                  }
                })
            .connect(target.address());
      }
    };
  }

  private static ApplicationProtocolConfig alpn(String... protocols) {
    return new ApplicationProtocolConfig(
        ApplicationProtocolConfig.Protocol.ALPN,
        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
        protocols);
  }
}
