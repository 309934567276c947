package dev.outrigger.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.controlplane.ca.MutableClock;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outrigger control-plane} serving ADS: a static file or the mesh of {@code --config-dir}, plaintext and over TLS. */
class ControlPlaneXdsTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @Test
  void servesTheStaticResourcesOnBothPorts() throws Exception {
    Path resources = Files.writeString(dir.resolve("static.yaml"), """
        resources:
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: backend
          type: STATIC
        """);
    Path stateDir = dir.resolve("state");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicReference<Runnable> stop = new AtomicReference<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(
        new String[] {"control-plane", "--state-dir", stateDir.toString(), "--ca-port", "0",
            "--admin-port", "0", "--xds-port", "0",
            "--xds-static", resources.toString(), "--xds-debounce", "50ms"},
        new PrintWriter(out, true), new PrintWriter(err, true), clock, stop::set));
    await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("xDS (ADS") || exit.isDone());
    assertThat(exit).as(err.toString()).isNotDone();
    assertThat(out.toString()).contains("static resources from " + resources);

    ManagedChannel plaintext = NettyChannelBuilder.forAddress("127.0.0.1", port(out, "(plaintext)"))
        .usePlaintext().build();
    ManagedChannel tls = NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", port(out, "(TLS)")))
        .overrideAuthority("localhost")
        .sslContext(GrpcSslContexts.forClient().trustManager(stateDir.resolve("bundle.pem").toFile()).build())
        .build();
    try {
      for (ManagedChannel channel : new ManagedChannel[] {plaintext, tls}) {
        DiscoveryResponse response = firstClusters(channel);
        assertThat(response.getResources(0).unpack(Cluster.class).getName()).isEqualTo("backend");
      }
    } finally {
      plaintext.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      tls.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      stop.get().run();
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
  }

  @Test
  void withAConfigDirectoryEveryNodeGetsTheTranslatedMesh() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicReference<Runnable> stop = new AtomicReference<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(
        new String[] {"control-plane", "--state-dir", dir.resolve("state").toString(), "--ca-port", "0",
            "--admin-port", "0", "--xds-port", "0", "--config-dir", Path.of("..", "docs", "examples", "mesh").toString()},
        new PrintWriter(out, true), new PrintWriter(err, true), clock, stop::set));
    await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("xDS (ADS") || exit.isDone());
    assertThat(exit).as(err.toString()).isNotDone();

    ManagedChannel plaintext = NettyChannelBuilder.forAddress("127.0.0.1", port(out, "(plaintext)"))
        .usePlaintext().build();
    try {
      DiscoveryResponse response = firstClusters(plaintext);
      assertThat(response.getResourcesList()).extracting(any -> any.unpack(Cluster.class).getName())
          .contains("outbound|8080||cart.shop", "outbound|9090||inventory.shop");
    } finally {
      plaintext.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      stop.get().run();
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
  }

  @Test
  void badXdsOptionsAreUsageErrors() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "resources:\n- name: x\n");

    assertThat(run("--xds-static", broken.toString()))
        .contains("outrigger: " + broken + ": resources[0]: no @type");
    assertThat(run("--xds-debounce", "2s", "--xds-debounce-max", "1s"))
        .contains("--xds-debounce-max PT1S is shorter than --xds-debounce PT2S");
    assertThat(run("--xds-debounce", "100"))
        .contains("invalid duration '100' (expected a positive 100ms, 90s");
  }

  /** Runs control-plane with {@code args}, expects exit code 1, returns standard error. */
  private String run(String... args) {
    StringWriter err = new StringWriter();
    String[] command = new String[args.length + 7];
    System.arraycopy(new String[] {"control-plane", "--state-dir", dir.resolve("state").toString(), "--ca-port",
        "0", "--xds-port", "0"}, 0, command, 0, 7);
    System.arraycopy(args, 0, command, 7, args.length);
    int code = Main.run(command, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), clock,
        action -> { });
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.INVALID);
    return err.toString();
  }

  /** The port printed on the start-up line that ends with {@code marker}. */
  private static int port(StringWriter out, String marker) {
    Matcher matcher = Pattern.compile("127\\.0\\.0\\.1:(\\d+) " + Pattern.quote(marker)).matcher(out.toString());
    assertThat(matcher.find()).as(out.toString()).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  private static DiscoveryResponse firstClusters(ManagedChannel channel) throws InterruptedException {
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {
            answers.add(response);
          }

          @Override
          public void onError(Throwable t) {
            answers.add(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId("any-node"))
        .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster").build());
    Object answer = answers.poll(30, TimeUnit.SECONDS);
    requests.onCompleted();
    assertThat(answer).isInstanceOf(DiscoveryResponse.class);
    return (DiscoveryResponse) answer;
  }
}
