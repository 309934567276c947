package dev.outrigger.proxy.xds;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * java-control-plane's ADS server (code nobody here wrote) over grpc-netty on loopback, serving
 * a {@link Snapshot} per node id, and recording every request it receives.
 */
final class ReferenceControlPlane implements AutoCloseable {
  final SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
  final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
  final List<DeltaDiscoveryRequest> deltaRequests = new CopyOnWriteArrayList<>();
  private final V3DiscoveryServer discovery = new V3DiscoveryServer(new DiscoveryServerCallbacks() {
    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
      requests.add(request);
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
      deltaRequests.add(request);
    }
  }, cache);
  private final SslContext tls;
  private Server server;
  private int port;

  ReferenceControlPlane() throws IOException {
    this(null);
  }

  /** Serves over TLS with {@code tls}; plaintext when null. */
  ReferenceControlPlane(SslContext tls) throws IOException {
    this.tls = tls;
    start(0);
  }

  int port() {
    return port;
  }

  /** Serves again on the same port after {@link #stop}. */
  void restart() throws IOException {
    start(port);
  }

  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private void start(int onPort) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", onPort))
        .withOption(ChannelOption.SO_REUSEADDR, true)
        .addService(discovery.getAggregatedDiscoveryServiceImpl());
    if (tls != null) {
      builder.sslContext(tls);
    }
    server = builder.build().start();
    port = server.getPort();
  }

  /** The NACKs received: SotW requests with {@code error_detail}. */
  List<DiscoveryRequest> nacks() {
    return requests.stream().filter(DiscoveryRequest::hasErrorDetail).toList();
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
