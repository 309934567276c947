package dev.outrigger.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.outrigger.controlplane.ca.MutableClock;
import dev.outrigger.controlplane.events.CloudEvent;
import dev.outrigger.controlplane.events.CloudEventJson;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outrigger control-plane} in-process emitting CloudEvents: a real ADS client connects,
 * ACKs and NACKs, a bad file lands in the config directory, {@code ctl ca rotate} runs beside it;
 * the events arrive in {@code <state-dir>/events.jsonl} and at an HTTP sink.
 */
class ControlPlaneEventsTest {
  static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final Duration GENEROUS = Duration.ofSeconds(60);

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final List<CloudEvent> posted = new CopyOnWriteArrayList<>();
  HttpServer sink;

  @AfterEach
  void stopSink() {
    if (sink != null) {
      sink.stop(0);
    }
  }

  @Test
  void streamsConfigFilesAndRotationBecomeEventsInTheFileAndAtTheSink() throws Exception {
    Path config = Files.createDirectory(dir.resolve("mesh"));
    Files.writeString(config.resolve("services.yaml"), """
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: cart, namespace: shop}
        spec:
          ports: [{name: http, port: 8080, protocol: http}]
        """);
    Files.writeString(config.resolve("mesh.yaml"), """
        apiVersion: outrigger.dev/v1alpha1
        kind: MeshConfig
        metadata: {name: mesh}
        spec: {trustDomain: example.org}
        """);
    Path stateDir = dir.resolve("state");
    String sinkUrl = startSink();
    AtomicReference<Runnable> stop = new AtomicReference<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(
        new String[] {"control-plane", "--state-dir", stateDir.toString(), "--ca-port", "0", "--xds-port", "0",
            "--trust-domain", "example.org", "--config-dir", config.toString(), "--xds-debounce", "50ms",
            "--events-sink", sinkUrl},
        new PrintWriter(out, true), new PrintWriter(err, true), clock, stop::set));
    await().atMost(GENEROUS).until(() -> out.toString().contains("xDS (ADS") || exit.isDone());
    assertThat(exit).as(err.toString()).isNotDone();
    Path file = stateDir.resolve("events.jsonl");

    CloudEvent issued = awaitEvent(file, "dev.outrigger.certificate.issued");
    assertThat(issued.subject()).isEqualTo("spiffe://example.org/ns/outrigger-system/sa/control-plane");
    assertThat(issued.source()).isEqualTo("//outrigger/control-plane");
    assertThat(issued.data().get("caller").asText()).isEqualTo("control-plane");

    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort()).usePlaintext().build();
    try {
      AdsClient proxy = new AdsClient(channel);
      DiscoveryResponse clusters = proxy.request(DiscoveryRequest.newBuilder()
          .setNode(Node.newBuilder().setId("sidecar-1").setCluster("shop"))
          .setTypeUrl(CLUSTERS).build());
      DiscoveryResponse listeners = proxy.request(DiscoveryRequest.newBuilder().setTypeUrl(LISTENERS).build());
      proxy.send(DiscoveryRequest.newBuilder().setTypeUrl(CLUSTERS)
          .setVersionInfo(clusters.getVersionInfo()).setResponseNonce(clusters.getNonce()).build());
      proxy.send(DiscoveryRequest.newBuilder().setTypeUrl(LISTENERS)
          .setResponseNonce(listeners.getNonce())
          .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage("listeners[0]: no"))
          .build());

      CloudEvent connected = awaitEvent(file, "dev.outrigger.proxy.connected");
      assertThat(connected.subject()).isEqualTo("sidecar-1");
      assertThat(connected.data().get("cluster").asText()).isEqualTo("shop");
      CloudEvent acked = awaitEvent(file, "dev.outrigger.config.acked");
      assertThat(acked.subject()).isEqualTo("sidecar-1");
      assertThat(acked.data().get("typeUrl").asText()).isEqualTo(CLUSTERS);
      assertThat(acked.data().get("version").asText()).isEqualTo(clusters.getVersionInfo());
      CloudEvent nacked = awaitEvent(file, "dev.outrigger.config.nacked");
      assertThat(nacked.data().get("typeUrl").asText()).isEqualTo(LISTENERS);
      assertThat(nacked.data().get("version").asText()).isEqualTo(listeners.getVersionInfo());
      assertThat(nacked.data().get("message").asText()).isEqualTo("listeners[0]: no");

      proxy.close();
      assertThat(awaitEvent(file, "dev.outrigger.proxy.disconnected").subject()).isEqualTo("sidecar-1");
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    Files.writeString(config.resolve("broken.yaml"), """
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: inventory, namespace: shop}
        spec:
          ports: [{name: grpc, port: -1, protocol: grpc}]
        """);
    CloudEvent rejected = awaitEvent(file, "dev.outrigger.resource.rejected");
    assertThat(rejected.subject()).isEqualTo("Service/shop/inventory");
    assertThat(rejected.data().get("file").asText()).isEqualTo(config.resolve("broken.yaml").toString());
    assertThat(rejected.data().get("problems").get(0).get("path").asText()).isEqualTo("spec.ports[0].port");

    assertThat(Main.run(new String[] {"ctl", "ca", "rotate", "prepare", "--state-dir", stateDir.toString()},
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), clock, action -> { }))
        .as(err.toString()).isEqualTo(ExitCodes.OK);
    CloudEvent rotated = awaitEvent(file, "dev.outrigger.ca.root.rotated");
    assertThat(rotated.source()).isEqualTo("//outrigger/ctl");
    assertThat(rotated.subject()).isEqualTo("example.org");
    assertThat(rotated.data().get("step").asText()).isEqualTo("prepare");
    assertThat(rotated.data().get("roots").get(0).get("phase").asText()).isEqualTo("prepared");
    // ctl handed the event to the running control plane (its default --server), so its feed has it.
    StringWriter recent = new StringWriter();
    assertThat(Main.run(new String[] {"ctl", "events"}, new PrintWriter(recent, true), new PrintWriter(err, true),
        clock, action -> { })).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(recent.toString()).contains(rotated.id(), "dev.outrigger.ca.root.rotated");

    stop.get().run();
    assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    // The sink got everything in the file, ctl's rotation included.
    List<CloudEvent> inFile = events(file);
    assertThat(posted).containsExactlyInAnyOrderElementsOf(inFile);
    assertThat(posted).extracting(CloudEvent::type).contains("dev.outrigger.ca.root.rotated");
    assertThat(inFile).extracting(CloudEvent::id).doesNotHaveDuplicates();
  }

  @Test
  void helpNamesTheEventOptionsAndABadSinkIsAUsageError() {
    StringWriter help = new StringWriter();
    assertThat(Main.run(new String[] {"control-plane", "--help"}, new PrintWriter(help, true),
        new PrintWriter(err, true), clock, action -> { })).isEqualTo(ExitCodes.OK);
    assertThat(help.toString()).contains("--events-file=FILE", "<state-dir>/events.jsonl", "--events-sink=URL",
        "application/cloudevents+json");

    assertThat(Main.run(new String[] {"control-plane", "--state-dir", dir.resolve("state").toString(),
            "--ca-port", "0", "--xds-port", "0", "--events-sink", "ftp://example.org/events"},
        new PrintWriter(out, true), new PrintWriter(err, true), clock, action -> { }))
        .isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("--events-sink ftp://example.org/events: not an http:// or https:// URL");
  }

  private CloudEvent awaitEvent(Path file, String type) {
    AtomicReference<CloudEvent> found = new AtomicReference<>();
    await().atMost(GENEROUS).until(() -> {
      events(file).stream().filter(event -> event.type().equals(type)).findFirst().ifPresent(found::set);
      return found.get() != null;
    });
    return found.get();
  }

  private static List<CloudEvent> events(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).stream().map(CloudEventJson::read).toList() : List.of();
  }

  private String startSink() throws IOException {
    sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sink.createContext("/", exchange -> {
      posted.add(CloudEventJson.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    sink.start();
    return "http://127.0.0.1:" + sink.getAddress().getPort() + "/events";
  }

  private int xdsPort() {
    Matcher matcher = Pattern.compile("127\\.0\\.0\\.1:(\\d+) \\(plaintext\\)").matcher(out.toString());
    assertThat(matcher.find()).as(out.toString()).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  /** One ADS stream, as a proxy's: requests out, responses taken in order. */
  private static final class AdsClient implements AutoCloseable {
    private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final StreamObserver<DiscoveryRequest> requests;

    AdsClient(ManagedChannel channel) {
      requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
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
    }

    void send(DiscoveryRequest request) {
      requests.onNext(request);
    }

    DiscoveryResponse request(DiscoveryRequest request) throws InterruptedException {
      send(request);
      Object answer = answers.poll(30, TimeUnit.SECONDS);
      assertThat(answer).as("a response to " + request.getTypeUrl()).isInstanceOf(DiscoveryResponse.class);
      return (DiscoveryResponse) answer;
    }

    @Override
    public void close() {
      requests.onCompleted();
    }
  }
}
