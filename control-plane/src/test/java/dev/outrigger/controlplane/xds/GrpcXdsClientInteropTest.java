package dev.outrigger.controlplane.xds;

import static dev.outrigger.controlplane.xds.Fixtures.cluster;
import static dev.outrigger.controlplane.xds.Fixtures.endpoints;
import static dev.outrigger.controlplane.xds.Fixtures.listener;
import static dev.outrigger.controlplane.xds.Fixtures.resources;
import static dev.outrigger.controlplane.xds.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.xds.XdsNameResolverProvider;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's own xDS client (proxyless gRPC), code nobody here wrote, bootstrapped to our ADS
 * server: it follows Listener → RouteConfiguration → Cluster → ClusterLoadAssignment over SotW
 * ADS, ACKs each, and its call to {@code xds:///greeter} reaches a real gRPC server.
 */
class GrpcXdsClientInteropTest {

  @Test
  void grpcJavasXdsClientCallsTheServiceItWasPointedAt() throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("greeter", ServingStatus.SERVING);
    Server app = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(health.getHealthService()).build().start();
    XdsHarness harness = new XdsHarness();
    ManagedChannel channel = null;
    try {
      int appPort = ((InetSocketAddress) app.getListenSockets().get(0)).getPort();
      harness.cache().set("grpc-client", resources(
          listener("greeter", "greeter-routes"),
          route("greeter-routes", "greeter", "greeter-cluster"),
          cluster("greeter-cluster"),
          endpoints("greeter-cluster", appPort)));
      Map<String, ?> bootstrap = Map.of(
          "xds_servers", List.of(Map.of(
              "server_uri", "127.0.0.1:" + harness.port(),
              "channel_creds", List.of(Map.of("type", "insecure")),
              "server_features", List.of("xds_v3"))),
          "node", Map.of("id", "grpc-client", "cluster", "interop"));
      channel = ManagedChannelBuilder.forTarget("xds:///greeter")
          .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", bootstrap))
          .usePlaintext()
          .build();

      ServingStatus status = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService("greeter").build()).getStatus();

      assertThat(status).isEqualTo(ServingStatus.SERVING);
      await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
        ProxyStatus client = harness.status("grpc-client");
        assertThat(client.types()).containsOnlyKeys(ResourceType.LISTENER, ResourceType.ROUTE,
            ResourceType.CLUSTER, ResourceType.ENDPOINT);
        assertThat(client.inSync()).as("grpc-java ACKed every type: %s", client).isTrue();
      });
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      harness.close();
      app.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
