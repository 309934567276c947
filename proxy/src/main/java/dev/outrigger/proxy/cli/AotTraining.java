package dev.outrigger.proxy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workload bin/outrigger records the JDK's AOT cache from (JDK 25+, {@code
 * -XX:AOTCacheOutput}): one proxy started through the command line exactly as {@code outrigger
 * proxy} starts, from a YAML bootstrap, serving requests on both sides of the mesh hop (an
 * HTTP/1.1 listener, an HTTP/2 cluster to a second listener of the same proxy, an HTTP/1.1 cluster
 * to a local app), then drained and stopped. The classes it loads and links, and the method
 * profiles it gathers, are what a sidecar needs until {@code /ready} and on its hot path.
 *
 * <p>The app and the client are plain sockets ({@link TrainingHttp}), not the JDK's HTTP client
 * and server: every class the training loads goes into the cache, and a proxy started with the
 * cache loads them all at start, so the training must load little besides the proxy.
 */
public final class AotTraining {
  private static final int REQUESTS = 300;
  private static final byte[] UPLOAD = new byte[64 * 1024];
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final int requests;

  private AotTraining(int requests) {
    this.requests = requests;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(REQUESTS);
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    // A proxy left running by a failed training has non-daemon event loops: exit in any case.
    System.exit(code);
  }

  /**
   * Runs the workload with {@code requests} GETs and as many POSTs; returns the proxy's exit code,
   * or throws naming what did not work (a request not answered 200, a proxy not ready).
   */
  static int run(int requests) throws Exception {
    return new AotTraining(requests).runWorkload();
  }

  private int runWorkload() throws Exception {
    Path bootstrap = Files.createTempFile("outrigger-aot-training", ".yaml");
    try (TrainingHttp.App app = TrainingHttp.App.start()) {
      int admin = TrainingHttp.freePort();
      int edge = TrainingHttp.freePort();
      int hop = TrainingHttp.freePort();
      Files.writeString(bootstrap, bootstrap(admin, edge, hop, app.port()));
      AtomicReference<Runnable> stop = new AtomicReference<>();
      PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
      CompletableFuture<Integer> proxy = CompletableFuture.supplyAsync(() -> Main.run(
          new String[] {"proxy", "--bootstrap", bootstrap.toString(), "--drain-time", "0s"},
          out, out, stop::set));
      awaitReady(admin, proxy, stop);
      exercise(edge, admin);
      stop.get().run();
      return proxy.get();
    } finally {
      Files.deleteIfExists(bootstrap);
    }
  }

  /** Ready: {@code /ready} answers 200 and the command has taken its stop action. */
  private static void awaitReady(int admin, CompletableFuture<Integer> proxy,
      AtomicReference<Runnable> stop) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (proxy.isDone()) {
        throw new IllegalStateException("the proxy stopped before it was ready: exit " + proxy.join());
      }
      try {
        if (stop.get() != null && TrainingHttp.status(admin, "GET", "/ready", new byte[0]) == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the proxy was not ready after " + READY_TIMEOUT);
  }

  /** Requests through the hop (GET and a 64 KiB POST), and the admin pages a sidecar serves. */
  private void exercise(int edge, int admin) throws IOException {
    try (TrainingHttp.Connection connection = TrainingHttp.Connection.open(edge)) {
      for (int i = 0; i < requests; i++) {
        expectOk(connection.exchange("GET", "/get/" + i, new byte[0]), "GET /get/" + i);
        expectOk(connection.exchange("POST", "/post", UPLOAD), "POST /post");
      }
    }
    for (String page : List.of("/metrics", "/config_dump", "/live")) {
      expectOk(TrainingHttp.status(admin, "GET", page, new byte[0]), "GET " + page);
    }
  }

  private static void expectOk(int status, String request) {
    if (status != 200) {
      throw new IllegalStateException(request + " answered " + status);
    }
  }

  /** The edge listener sends everything over HTTP/2 to the hop listener, which sends it to the app. */
  private static String bootstrap(int admin, int edge, int hop, int app) {
    return """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: %d } }
        static_resources:
          listeners:
        %s%s  clusters:
        %s%s""".formatted(admin, listener("edge", edge, "hop"), listener("hop", hop, "app"),
        cluster("hop", hop, true), cluster("app", app, false));
  }

  private static String listener(String name, int port, String cluster) {
    return """
          - name: %1$s
            address: { socket_address: { address: 127.0.0.1, port_value: %2$d } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: %1$s
                  codec_type: AUTO
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: "/" }
                        route: { cluster: %3$s }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """.formatted(name, port, cluster);
  }

  private static String cluster(String name, int port, boolean http2) {
    String protocol = !http2 ? "" : """
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
        """;
    return """
          - name: %1$s
            type: STATIC
            connect_timeout: 1s
        %3$s    load_assignment:
              cluster_name: %1$s
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %2$d } } }
        """.formatted(name, port, protocol);
  }
}
