package dev.outrigger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.testing.KeepAliveConnection;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Proxy#apply} on a proxy under load: real sockets, real upstreams, real clients. */
class ConfigApplyTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Proxy proxy;

  @AfterEach
  void close() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private RecordingUpstream upstream(String name) throws Exception {
    RecordingUpstream upstream = new RecordingUpstream(name);
    closing.add(upstream);
    return upstream;
  }

  /** A listener: its port and its routes (path prefix, or {@code regex:} and a path regex, to cluster). */
  private record Listener(int port, Map<String, String> routes) {}

  private static String yaml(Map<String, Listener> listeners, Map<String, List<Integer>> clusters) {
    return yaml(listeners, clusters, "");
  }

  /** @param clusterExtra YAML added to every cluster, at its indentation */
  private static String yaml(Map<String, Listener> listeners, Map<String, List<Integer>> clusters, String clusterExtra) {
    StringBuilder yaml = new StringBuilder("""
        node: { id: apply, cluster: apply }
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
        """);
    listeners.forEach((name, listener) -> {
      StringBuilder routes = new StringBuilder();
      listener.routes().forEach((path, cluster) -> routes.append("""
          - match: { %s }
            route: { cluster: %s, timeout: 0s }
          """.formatted(
              path.startsWith("regex:")
                  ? "safe_regex: { regex: \"" + path.substring("regex:".length()) + "\" }"
                  : "prefix: \"" + path + "\"",
              cluster)));
      yaml.append("""
          - name: %s
            address: { socket_address: { address: 127.0.0.1, port_value: %d } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: %s
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
          %s
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          """.formatted(name, listener.port(), name, routes.toString().indent(12).stripTrailing()).indent(2));
    });
    yaml.append("  clusters:\n");
    clusters.forEach((name, ports) -> {
      StringBuilder endpoints = new StringBuilder();
      ports.forEach(port -> endpoints.append(
          "- endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }\n".formatted(port)));
      yaml.append("""
          - name: %s
            connect_timeout: 1s
            load_assignment:
              cluster_name: %s
              endpoints:
              - lb_endpoints:
          %s
          %s
          """.formatted(name, name, endpoints.toString().indent(8).stripTrailing(), clusterExtra.indent(2).stripTrailing())
          .indent(2));
    });
    return yaml.toString();
  }

  private static ProxyConfig config(Map<String, Listener> listeners, Map<String, List<Integer>> clusters) throws Exception {
    return BootstrapLoader.loadYaml(yaml(listeners, clusters));
  }

  private static ProxyOptions options() {
    return ProxyOptions.defaults().withThreads(2).withDrainTime(Duration.ofSeconds(30));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String metrics() throws Exception {
    return get(proxy.adminAddress().orElseThrow().getPort(), "/metrics").body();
  }

  /** Ports free now, distinct from every other this test took (the kernel may hand a closed one out again). */
  private final java.util.Set<Integer> taken = new java.util.HashSet<>();

  private int freePort() throws Exception {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        if (taken.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
  }

  @Test
  void aNewRouteTableAppliesUnderKeepAliveLoadWithoutAFailedRequest() throws Exception {
    RecordingUpstream a = upstream("a");
    RecordingUpstream b = upstream("b");
    int port = freePort();
    Map<String, List<Integer>> clusters = Map.of("a", List.of(a.port()), "b", List.of(b.port()));
    proxy = Proxy.start(config(Map.of("in", new Listener(port, Map.of("/", "a"))), clusters), options());

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger fromB = new AtomicInteger();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(CompletableFuture.runAsync(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> response = get(port, "/load");
            if (response.statusCode() != 200) {
              failures.incrementAndGet();
            } else if (response.body().startsWith("b ")) {
              fromB.incrementAndGet();
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    await().atMost(WAIT).until(() -> a.received.size() > 50);

    ApplyResult result =
        proxy.apply(config(Map.of("in", new Listener(port, Map.of("/", "b"))), clusters), "v2");

    assertThat(result.routesUpdated()).containsExactly("in");
    assertThat(result.listenersUpdated()).isEmpty();
    assertThat(result.chainsDrained()).isZero();
    assertThat(result.clustersAdded()).isEmpty();
    assertThat(result.clustersReplaced()).isEmpty();
    await().atMost(WAIT).until(() -> fromB.get() > 50);
    running.set(false);
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(failures.get()).isZero();
    assertThat(get(port, "/after").body()).isEqualTo("b /after");
    assertThat(proxy.configVersion()).isEqualTo("v2");
    assertThat(get(proxy.adminAddress().orElseThrow().getPort(), "/config_dump").body()).contains("v2");
  }

  private static final MethodDescriptor<String, String> WHO =
      MethodDescriptor.<String, String>newBuilder()
          .setFullMethodName("test.Who/Name")
          .setType(MethodDescriptor.MethodType.UNARY)
          .setRequestMarshaller(Utf8Marshaller.INSTANCE)
          .setResponseMarshaller(Utf8Marshaller.INSTANCE)
          .build();

  private enum Utf8Marshaller implements MethodDescriptor.Marshaller<String> {
    INSTANCE;

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A gRPC server that answers every call with its name. */
  private int grpcUpstream(String name) throws Exception {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerServiceDefinition.builder("test.Who")
                .addMethod(WHO, ServerCalls.asyncUnaryCall((request, out) -> {
                  out.onNext(name);
                  out.onCompleted();
                }))
                .build())
            .build()
            .start();
    closing.add(() -> server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    return server.getPort();
  }

  @Test
  void aNewRouteTableAppliesUnderHttp2LoadWithoutAFailedCall() throws Exception {
    int port = freePort();
    String http2 = """
        typed_extension_protocol_options:
          envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
            "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
            explicit_http_config: { http2_protocol_options: {} }
        """;
    Map<String, List<Integer>> clusters = Map.of("a", List.of(grpcUpstream("a")), "b", List.of(grpcUpstream("b")));
    proxy = Proxy.start(BootstrapLoader.loadYaml(yaml(Map.of("in", new Listener(port, Map.of("/", "a"))), clusters, http2)), options());
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    closing.add(() -> channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    Map<String, AtomicInteger> answers = Map.of("a", new AtomicInteger(), "b", new AtomicInteger());
    List<CompletableFuture<Void>> callers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      callers.add(CompletableFuture.runAsync(() -> {
        while (running.get()) {
          try {
            String who = ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), "?");
            answers.get(who).incrementAndGet();
          } catch (RuntimeException e) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    await().atMost(WAIT).until(() -> answers.get("a").get() > 50);

    proxy.apply(BootstrapLoader.loadYaml(yaml(Map.of("in", new Listener(port, Map.of("/", "b"))), clusters, http2)), "v2");

    await().atMost(WAIT).until(() -> answers.get("b").get() > 50);
    running.set(false);
    CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(failures.get()).isZero();
  }

  @Test
  void connectionsAcceptedWhileAppliesRunServeWithOneSnapshot() throws Exception {
    RecordingUpstream a = upstream("a");
    RecordingUpstream b = upstream("b");
    int port = freePort();
    Map<String, List<Integer>> clusters = Map.of("a", List.of(a.port()), "b", List.of(b.port()));
    ProxyConfig toA = config(Map.of("in", new Listener(port, Map.of("/", "a"))), clusters);
    ProxyConfig toB = config(Map.of("in", new Listener(port, Map.of("/", "b"))), clusters);
    proxy = Proxy.start(toA, options());
    // Each apply swaps the chain's route table under the client's requests.
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
      while (running.get()) {
        try {
          HttpResponse<String> response = get(port, "/x");
          if (response.statusCode() == 200) {
            answered.incrementAndGet();
          } else {
            failures.incrementAndGet();
          }
        } catch (Exception e) {
          failures.incrementAndGet();
        }
      }
    });
    for (int i = 0; i < 30; i++) {
      proxy.apply(i % 2 == 0 ? toB : toA, "v" + i);
    }
    int before = answered.get();
    await().atMost(WAIT).until(() -> answered.get() > before + 10);
    running.set(false);
    load.get(30, TimeUnit.SECONDS);
    assertThat(failures.get()).isZero();
  }

  @Test
  void anAddedClusterAndRouteServeAndAnUnchangedClusterKeepsItsPooledConnection() throws Exception {
    RecordingUpstream a = upstream("a");
    RecordingUpstream b = upstream("b");
    int port = freePort();
    // One event loop: pools are per loop, and the reconnected client must land on the same one.
    proxy = Proxy.start(
        config(Map.of("in", new Listener(port, Map.of("/", "a"))), Map.of("a", List.of(a.port()))),
        options().withThreads(1));
    for (int i = 0; i < 5; i++) {
      assertThat(get(port, "/one").body()).isEqualTo("a /one");
    }
    assertThat(metrics()).contains("outrigger_upstream_connections_total{cluster=\"a\"} 1");

    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("/b", "b");
    routes.put("/", "a");
    ApplyResult result = proxy.apply(
        config(Map.of("in", new Listener(port, routes)), Map.of("a", List.of(a.port()), "b", List.of(b.port()))), "v2");

    assertThat(result.clustersAdded()).containsExactly("b");
    assertThat(get(port, "/b/x").body()).isEqualTo("b /b/x");
    for (int i = 0; i < 5; i++) {
      assertThat(get(port, "/two").body()).isEqualTo("a /two");
    }
    // The cluster's pooled upstream connection stayed.
    assertThat(metrics()).contains("outrigger_upstream_connections_total{cluster=\"a\"} 1");
  }

  /** An upstream that holds every request until released. */
  private record SlowUpstream(HttpServer server, CountDownLatch arrived, CountDownLatch release) {
    int port() {
      return server.getAddress().getPort();
    }
  }

  private SlowUpstream slowUpstream() throws Exception {
    SlowUpstream slow =
        new SlowUpstream(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), new CountDownLatch(1), new CountDownLatch(1));
    slow.server().createContext("/", exchange -> {
      slow.arrived().countDown();
      try {
        slow.release().await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "slow".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    slow.server().setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    slow.server().start();
    closing.add(() -> slow.server().stop(0));
    return slow;
  }

  @Test
  void aClusterRemovedUnderItsRequestInFlightLetsItFinishWhileNewRequestsTakeTheNewRoute() throws Exception {
    SlowUpstream slow = slowUpstream();
    RecordingUpstream b = upstream("b");
    int port = freePort();
    proxy = Proxy.start(
        config(Map.of("in", new Listener(port, Map.of("/", "x"))), Map.of("x", List.of(slow.port()))), options());
    CompletableFuture<HttpResponse<String>> inFlight =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/long")).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(slow.arrived().await(20, TimeUnit.SECONDS)).isTrue();

    ApplyResult result =
        proxy.apply(config(Map.of("in", new Listener(port, Map.of("/", "b"))), Map.of("b", List.of(b.port()))), "v2");

    assertThat(result.clustersRemoved()).containsExactly("x");
    assertThat(result.clustersAdded()).containsExactly("b");
    assertThat(get(port, "/new").body()).isEqualTo("b /new");
    slow.release().countDown();
    HttpResponse<String> finished = inFlight.get(20, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).isEqualTo("slow");
  }

  @Test
  void aRemovedClusterFinishesItsRequestInFlightAndARemovedListenerDrains() throws Exception {
    SlowUpstream slow = slowUpstream();
    RecordingUpstream a = upstream("a");
    int stays = freePort();
    int goes = freePort();
    Map<String, Listener> both = new LinkedHashMap<>();
    both.put("stays", new Listener(stays, Map.of("/", "a")));
    both.put("goes", new Listener(goes, Map.of("/", "slow")));
    proxy = Proxy.start(
        config(both, Map.of("a", List.of(a.port()), "slow", List.of(slow.port()))), options());
    CompletableFuture<HttpResponse<String>> inFlight =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + goes + "/long")).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(slow.arrived.await(20, TimeUnit.SECONDS)).isTrue();

    ApplyResult result = proxy.apply(
        config(Map.of("stays", new Listener(stays, Map.of("/", "a"))), Map.of("a", List.of(a.port()))), "v2");

    assertThat(result.listenersRemoved()).containsExactly("goes");
    assertThat(result.clustersRemoved()).containsExactly("slow");
    assertThat(result.listenersUpdated()).isEmpty();
    assertThatThrownBy(() -> new Socket("127.0.0.1", goes).close()).isInstanceOf(ConnectException.class);
    assertThat(get(stays, "/still").body()).isEqualTo("a /still");
    slow.release.countDown();
    HttpResponse<String> finished = inFlight.get(20, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).isEqualTo("slow");
  }

  @Test
  void aDrainedConnectionStillOpenAfterTheDrainTimeIsClosed() throws Exception {
    SlowUpstream slow = slowUpstream();
    RecordingUpstream a = upstream("a");
    int port = freePort();
    Map<String, List<Integer>> clusters = Map.of("slow", List.of(slow.port()), "a", List.of(a.port()));
    proxy = Proxy.start(
        config(Map.of("in", new Listener(port, Map.of("/", "slow"))), clusters),
        options().withDrainTime(Duration.ofMillis(200)));
    CompletableFuture<HttpResponse<String>> stuck =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stuck")).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(slow.arrived().await(20, TimeUnit.SECONDS)).isTrue();

    // A change of the connection manager beyond its routes rebuilds the chain and drains the old one.
    ApplyResult result = proxy.apply(BootstrapLoader.loadYaml(
        yaml(Map.of("in", new Listener(port, Map.of("/", "a"))), clusters).replace("stat_prefix: in", "stat_prefix: in2")),
        "v2");

    assertThat(result.chainsDrained()).isEqualTo(1);
    assertThat(result.listenersUpdated()).containsExactly("in");
    assertThat(result.routesUpdated()).isEmpty();
    // The request outlived the drain time: its connection was closed under it (the JDK client may
    // then retry the GET on a new connection, which the new route serves).
    String outcome = stuck.handle((response, failure) -> failure != null ? "closed" : response.body()).get(20, TimeUnit.SECONDS);
    assertThat(outcome).isIn("closed", "a /stuck");
    assertThat(get(port, "/fresh").body()).isEqualTo("a /fresh");
    slow.release().countDown();
  }

  @Test
  void aListenerIsAddedAndOneThatMovesIsBoundAnew() throws Exception {
    RecordingUpstream a = upstream("a");
    int first = freePort();
    int moved = freePort();
    int added = freePort();
    Map<String, List<Integer>> clusters = Map.of("a", List.of(a.port()));
    proxy = Proxy.start(config(Map.of("in", new Listener(first, Map.of("/", "a"))), clusters), options());

    Map<String, Listener> next = new LinkedHashMap<>();
    next.put("in", new Listener(moved, Map.of("/", "a")));
    next.put("more", new Listener(added, Map.of("/", "a")));
    ApplyResult result = proxy.apply(config(next, clusters), "v2");

    assertThat(result.listenersAdded()).containsExactly("in", "more");
    assertThat(result.listenersRemoved()).isEmpty();
    assertThat(get(moved, "/m").body()).isEqualTo("a /m");
    assertThat(get(added, "/n").body()).isEqualTo("a /n");
    assertThat(proxy.listenerAddress("in").getPort()).isEqualTo(moved);
    assertThatThrownBy(() -> new Socket("127.0.0.1", first).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void anApplyThatCannotBindAPortChangesNothing() throws Exception {
    RecordingUpstream a = upstream("a");
    RecordingUpstream b = upstream("b");
    int port = freePort();
    ProxyConfig first = config(Map.of("in", new Listener(port, Map.of("/", "a"))), Map.of("a", List.of(a.port())));
    proxy = Proxy.start(first, options());
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, Listener> listeners = new LinkedHashMap<>();
      listeners.put("in", new Listener(port, Map.of("/", "b")));
      listeners.put("extra", new Listener(taken.getLocalPort(), Map.of("/", "b")));
      ProxyConfig bad = config(listeners, Map.of("a", List.of(a.port()), "b", List.of(b.port())));

      assertThatThrownBy(() -> proxy.apply(bad, "bad"))
          .hasMessageContaining("listener extra")
          .hasMessageContaining(String.valueOf(taken.getLocalPort()));
    }
    assertThat(proxy.configVersion()).isEqualTo(Proxy.STATIC_VERSION);
    assertThat(proxy.config()).isEqualTo(first);
    assertThat(get(port, "/x").body()).isEqualTo("a /x");
    assertThat(b.received).isEmpty();
  }

  @Test
  void changedEndpointsTakeOverUnderLoad() throws Exception {
    RecordingUpstream a1 = upstream("a1");
    RecordingUpstream a2 = upstream("a2");
    int port = freePort();
    Map<String, Listener> listeners = Map.of("in", new Listener(port, Map.of("/", "a")));
    proxy = Proxy.start(config(listeners, Map.of("a", List.of(a1.port()))), options());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
      while (running.get()) {
        try {
          if (get(port, "/load").statusCode() != 200) {
            failures.incrementAndGet();
          }
        } catch (Exception e) {
          failures.incrementAndGet();
        }
      }
    });
    await().atMost(WAIT).until(() -> a1.received.size() > 20);

    ApplyResult result = proxy.apply(config(listeners, Map.of("a", List.of(a2.port()))), "v2");

    assertThat(result.clustersReplaced()).isEmpty();
    assertThat(result.clustersReassigned()).containsExactly("a");
    assertThat(result.listenersUpdated()).isEmpty();
    await().atMost(WAIT).until(() -> a2.received.size() > 20);
    running.set(false);
    load.get(30, TimeUnit.SECONDS);
    assertThat(failures.get()).isZero();
  }

  @Test
  void reapplyingTheSameConfigKeepsEverything() throws Exception {
    RecordingUpstream a = upstream("a");
    int port = freePort();
    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("regex:/r/[0-9]+", "a");
    routes.put("/", "a");
    String yaml = yaml(Map.of("in", new Listener(port, routes)), Map.of("a", List.of(a.port())));
    proxy = Proxy.start(BootstrapLoader.loadYaml(yaml), options());
    assertThat(get(port, "/r/42").body()).isEqualTo("a /r/42");

    // Translated again, as the xDS client does: the regexes are new objects, the config the same.
    ApplyResult result = proxy.apply(BootstrapLoader.loadYaml(yaml), "same");

    assertThat(List.of(result.clustersAdded(), result.clustersReplaced(), result.clustersReassigned(),
            result.clustersRemoved(),
            result.listenersAdded(), result.listenersUpdated(), result.listenersRemoved(), result.routesUpdated())
        .stream().flatMap(Collection::stream).collect(Collectors.toList())).isEmpty();
    assertThat(result.chainsDrained()).isZero();
  }

  @Test
  void aRouteOnlyChangeKeepsAnIdleKeepAliveConnectionWhoseNextRequestTakesTheNewRoute() throws Exception {
    RecordingUpstream a = upstream("a");
    RecordingUpstream b = upstream("b");
    int port = freePort();
    Map<String, List<Integer>> clusters = Map.of("a", List.of(a.port()), "b", List.of(b.port()));
    proxy = Proxy.start(config(Map.of("in", new Listener(port, Map.of("/", "a"))), clusters), options());
    try (KeepAliveConnection connection = new KeepAliveConnection(port, WAIT)) {
      assertThat(connection.get("/one").body()).isEqualTo("a /one");

      ApplyResult result = proxy.apply(config(Map.of("in", new Listener(port, Map.of("/", "b"))), clusters), "v2");

      assertThat(result.routesUpdated()).containsExactly("in");
      assertThat(result.listenersUpdated()).isEmpty();
      assertThat(result.chainsDrained()).isZero();
      // The same connection, not told to close: a drain would have closed it at once, being idle.
      KeepAliveConnection.Response next = connection.get("/two");
      assertThat(next.body()).isEqualTo("b /two");
      assertThat(next.headers()).doesNotContainKey("connection");
      assertThat(connection.get("/three").body()).isEqualTo("b /three");
    }
    String metrics = metrics();
    assertThat(metrics).contains("outrigger_downstream_connections_total{listener=\"in\"} 1.0");
    // The chain's meters took the new table too: its requests count under their cluster.
    assertThat(metrics).containsPattern("outrigger_requests_total\\{cluster=\"b\",code=\"200\",[^}]*listener=\"in\"[^}]*\\} 2\\.0");
  }

  @Test
  void aRouteOnlyChangeKeepsAnHttp2ConnectionWhoseNextCallTakesTheNewRoute() throws Exception {
    int port = freePort();
    String http2 = """
        typed_extension_protocol_options:
          envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
            "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
            explicit_http_config: { http2_protocol_options: {} }
        """;
    Map<String, List<Integer>> clusters = Map.of("a", List.of(grpcUpstream("a")), "b", List.of(grpcUpstream("b")));
    proxy = Proxy.start(BootstrapLoader.loadYaml(yaml(Map.of("in", new Listener(port, Map.of("/", "a"))), clusters, http2)), options());
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    closing.add(() -> channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    assertThat(ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), "?"))
        .isEqualTo("a");
    // A GOAWAY would take the channel out of READY.
    AtomicBoolean leftReady = new AtomicBoolean();
    channel.notifyWhenStateChanged(io.grpc.ConnectivityState.READY, () -> leftReady.set(true));

    ApplyResult result = proxy.apply(
        BootstrapLoader.loadYaml(yaml(Map.of("in", new Listener(port, Map.of("/", "b"))), clusters, http2)), "v2");

    assertThat(result.routesUpdated()).containsExactly("in");
    assertThat(result.chainsDrained()).isZero();
    assertThat(ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), "?"))
        .isEqualTo("b");
    assertThat(leftReady).isFalse();
    assertThat(metrics()).contains("outrigger_downstream_connections_total{listener=\"in\"} 1.0");
  }
}
