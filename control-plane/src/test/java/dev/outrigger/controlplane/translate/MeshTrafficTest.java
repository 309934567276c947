package dev.outrigger.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.proxy.Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The translator's output carrying real traffic: a client sidecar and an echo sidecar (real
 * proxies, mTLS between them) configured by the translator from one model, in front of real
 * applications. HTTP method matches and a mirror, and opaque TCP through both sidecars.
 */
class MeshTrafficTest {
  private static final String MODEL = """
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: client, namespace: shop}
      spec:
        ports: [{name: http, port: 8080, protocol: http}]
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: echo, namespace: shop}
      spec:
        ports: [{name: http, port: 8080, protocol: http}, {name: raw, port: 7000, protocol: tcp}]
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: audit, namespace: shop}
      spec:
        ports: [{name: http, port: 80, protocol: http}]
        endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: echo, namespace: shop}
      spec:
        parentRefs: [{kind: Service, name: echo, port: 8080}]
        rules:
        - name: writes
          matches: [{method: POST}, {method: PUT}]
          filters:
          - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-matched, value: writes}]}}
          - {type: RequestMirror, requestMirror: {backendRef: {name: audit, port: 80}}}
          backendRefs: [{name: echo, port: 8080}]
        - name: rest
          filters:
          - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-matched, value: rest}]}}
          backendRefs: [{name: echo, port: 8080}]
      %s
      """;
  private static final String DENY_CLIENT = """
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: AuthorizationPolicy
      metadata: {name: no-client-raw, namespace: shop}
      spec:
        action: DENY
        targetRef: {kind: Service, name: echo}
        rules: [{from: [{serviceAccounts: [shop/client]}], to: [{ports: [7000]}]}]
      """;

  @TempDir
  Path caDir;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final BlockingQueue<String> audited = new LinkedBlockingQueue<>();
  private HttpServer app;
  private HttpServer audit;
  private ServerSocket tcpEcho;
  private MeshProxies proxies;
  private Proxy client;

  @BeforeEach
  void startApplications() throws Exception {
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] answer = (exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("x-matched"))
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    app.start();
    audit = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    audit.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      audited.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Host") + " " + body);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    audit.start();
    tcpEcho = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    threads.submit(this::echoConnections);
    proxies = new MeshProxies(caDir);
  }

  /** Client sidecar (TCP upstream echo.shop:7000) and echo sidecar, both from {@code model}. */
  private void startSidecars(MeshModel model) throws Exception {
    Workload echo = Workload.of(Meshes.sidecar("echo-1", "shop", "echo", "echo", "127.0.0.1",
        Map.of("http", app.getAddress().getPort(), "raw", tcpEcho.getLocalPort())));
    Workload caller = Workload.of(Meshes.sidecar("client-1", "shop", "client", "client", "127.0.0.1",
        Map.of(), Map.of("echo.shop:7000", 17000)));
    Endpoints endpoints = Endpoints.of(List.of(echo, caller));
    Proxy echoSidecar = proxies.start(model, echo, endpoints, Names.INBOUND_PORT); // calls no peer
    client = proxies.start(model, caller, endpoints, echoSidecar.listenerAddress(Names.INBOUND).getPort());
  }

  private MeshModel model(String extra) {
    return Meshes.model(MODEL.formatted(audit.getAddress().getPort(), extra));
  }

  @AfterEach
  void stop() throws IOException {
    if (proxies != null) {
      proxies.close();
    }
    app.stop(0);
    audit.stop(0);
    tcpEcho.close();
    threads.shutdownNow();
  }

  @ParameterizedTest
  @CsvSource({"POST, writes", "PUT, writes", "GET, rest", "DELETE, rest", "PATCH, rest"})
  void methodMatchesRouteByTheRequestMethod(String method, String rule) throws Exception {
    startSidecars(model(""));

    String response = http(method, "/items", "body");

    assertThat(response).startsWith("HTTP/1.1 200").endsWith(method + " " + rule);
  }

  @Test
  void writesAreMirroredToTheAuditServiceWithAShadowAuthority() throws Exception {
    startSidecars(model(""));

    assertThat(http("GET", "/items", "")).endsWith("GET rest");
    assertThat(http("POST", "/items", "new item")).endsWith("POST writes");

    // Only the POST was mirrored: the GET's rule has no mirror, and it went first.
    assertThat(audited.poll(10, TimeUnit.SECONDS)).isEqualTo("POST echo.shop-shadow:8080 new item");
  }

  @Test
  void opaqueTcpGoesThroughBothSidecarsOverMtls() throws Exception {
    startSidecars(model(""));

    try (Socket socket = new Socket("127.0.0.1", tcpUpstreamPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("ping over the mesh\n".getBytes(StandardCharsets.UTF_8));
      byte[] echoed = socket.getInputStream().readNBytes("ping over the mesh\n".length());

      assertThat(new String(echoed, StandardCharsets.UTF_8)).isEqualTo("ping over the mesh\n");
    }
  }

  @Test
  void aDenyPolicyOnTheTcpPortClosesTheConnection() throws Exception {
    startSidecars(model(DENY_CLIENT));

    try (Socket socket = new Socket("127.0.0.1", tcpUpstreamPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));

      assertThat(socket.getInputStream().read()).isEqualTo(-1); // closed, nothing echoed
    }
    // HTTP to the same service is not on port 7000, so the policy leaves it alone.
    assertThat(http("GET", "/", "")).endsWith("GET rest");
  }

  private int tcpUpstreamPort() {
    return client.listenerAddress("outbound_tcp|echo.shop:7000").getPort();
  }

  /** One HTTP/1.1 request to the client sidecar's outbound listener, for echo.shop:8080; the whole response. */
  private String http(String method, String path, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", client.listenerAddress(Names.OUTBOUND).getPort())) {
      socket.setSoTimeout(10_000);
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      String head = method + " " + path + " HTTP/1.1\r\nHost: echo.shop:8080\r\nConnection: close\r\n"
          + "Content-Length: " + content.length + "\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Void echoConnections() throws IOException {
    while (!tcpEcho.isClosed()) {
      Socket connection;
      try {
        connection = tcpEcho.accept();
      } catch (IOException closed) {
        return null;
      }
      threads.submit(() -> {
        try (connection; InputStream in = connection.getInputStream()) {
          in.transferTo(connection.getOutputStream());
        }
        return null;
      });
    }
    return null;
  }

}
