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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's own xDS client (proxyless gRPC), code nobody here wrote, bootstrapped to our ADS
 * server: it follows Listener → RouteConfiguration → Cluster → ClusterLoadAssignment over SotW
 * ADS, ACKs each, and its call to {@code xds:///greeter} reaches a real gRPC server; a route
 * change pushed while it runs moves its calls to another cluster.
 */
class GrpcXdsClientInteropTest {

  @Test
  void grpcJavasXdsClientCallsTheServiceItWasPointedAt() throws Exception {
    // Two versions of the app, told apart by the health status they report for "greeter".
    Server app = app(ServingStatus.SERVING);
    Server appV2 = app(ServingStatus.NOT_SERVING);
    XdsHarness harness = new XdsHarness();
    ManagedChannel channel = null;
    try {
      int appPort = port(app);
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

      ManagedChannel xdsChannel = channel;

      assertThat(check(xdsChannel)).isEqualTo(ServingStatus.SERVING);
      awaitInSync(harness);

      // Live change: the route moves to a new cluster on the second app, the old cluster goes.
      harness.cache().set("grpc-client", resources(
          listener("greeter", "greeter-routes"),
          route("greeter-routes", "greeter", "greeter-v2"),
          cluster("greeter-v2"),
          endpoints("greeter-v2", port(appV2))));
      harness.flush();

      await().atMost(30, TimeUnit.SECONDS).until(() -> check(xdsChannel) == ServingStatus.NOT_SERVING);
      awaitInSync(harness);
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      harness.close();
      app.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      appV2.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitInSync(XdsHarness harness) {
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      ProxyStatus client = harness.status("grpc-client");
      assertThat(client.types()).containsOnlyKeys(ResourceType.LISTENER, ResourceType.ROUTE,
          ResourceType.CLUSTER, ResourceType.ENDPOINT);
      assertThat(client.inSync()).as("grpc-java ACKed every type: %s", client).isTrue();
    });
  }

  private static ServingStatus check(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService("greeter").build()).getStatus();
  }

  private static Server app(ServingStatus status) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("greeter", status);
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(health.getHealthService()).build().start();
  }

  private static int port(Server server) {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }
}
