package dev.outrigger.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** An {@link XdsServer} on a loopback port with a manual scheduler, and clients of it. */
final class XdsHarness implements AutoCloseable {
  final ManualScheduler scheduler = new ManualScheduler();
  final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final XdsServer xds;
  private final Server server;
  private final ManagedChannel channel;
  private final List<StreamClient<?, ?>> clients = new ArrayList<>();

  XdsHarness() throws IOException {
    this(builder -> { });
  }

  XdsHarness(Consumer<XdsServer.Builder> configure) throws IOException {
    XdsServer.Builder builder = XdsServer.builder(metrics).scheduler(scheduler);
    configure.accept(builder);
    xds = builder.build();
    server = xds.listen(new InetSocketAddress("127.0.0.1", 0));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port()).usePlaintext().build();
  }

  int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  XdsCache cache() {
    return xds.cache();
  }

  StreamClient<DiscoveryRequest, DiscoveryResponse> sotw() {
    StreamClient<DiscoveryRequest, DiscoveryResponse> client =
        new StreamClient<>(AggregatedDiscoveryServiceGrpc.newStub(channel)::streamAggregatedResources);
    clients.add(client);
    return client;
  }

  StreamClient<DeltaDiscoveryRequest, DeltaDiscoveryResponse> delta() {
    StreamClient<DeltaDiscoveryRequest, DeltaDiscoveryResponse> client =
        new StreamClient<>(AggregatedDiscoveryServiceGrpc.newStub(channel)::deltaAggregatedResources);
    clients.add(client);
    return client;
  }

  /** Lets the debounce elapse: pending pushes run now, on this thread. */
  void flush() {
    scheduler.advance(XdsServer.DEFAULT_DEBOUNCE_QUIET);
  }

  ProxyStatus status(String nodeId) {
    return xds.proxies().stream().filter(status -> status.nodeId().equals(nodeId)).findFirst().orElseThrow();
  }

  ProxyStatus.TypeStatus status(String nodeId, ResourceType type) {
    return status(nodeId).types().get(type);
  }

  static Node node(String id) {
    return Node.newBuilder().setId(id).setCluster("test").build();
  }

  @Override
  public void close() {
    clients.forEach(StreamClient::close);
    try {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
