package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.MaxStreamDuration;
import dev.outrigger.proxy.config.MirrorPolicy;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.upstream.Breaker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** request_mirror_policies over real sockets: a main upstream and a mirror upstream that records what it gets. */
class RequestMirrorTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final TestUpstream main = TestUpstream.http1();
  private final RecordingUpstream mirror = new RecordingUpstream();
  private TestProxy proxy;

  RequestMirrorTest() throws Exception {}

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    main.close();
    mirror.close();
  }

  private void start(int bufferLimit, MirrorPolicy... mirrors) throws InterruptedException {
    start(bufferLimit, mirror.port(), UpstreamProtocol.HTTP1, mirrors);
  }

  private void start(int bufferLimit, int mirrorPort, UpstreamProtocol mirrorProtocol, MirrorPolicy... mirrors)
      throws InterruptedException {
    RouteAction.Forward forward = new RouteAction.Forward(WeightedClusters.single("main"), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), false, Duration.ofSeconds(30), Optional.empty(),
        Optional.empty(), Optional.of(bufferLimit), MaxStreamDuration.NONE, List.of(), List.of(mirrors));
    proxy = TestProxy.builder().route("/", forward)
        .cluster("main", main.port(), UpstreamProtocol.HTTP1)
        .cluster("mirror", mirrorPort, mirrorProtocol)
        .start();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(proxy.url(path))).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
  }

  @Test
  void theMirrorGetsTheWholeRequestWithAShadowAuthority() throws Exception {
    start(64 * 1024, new MirrorPolicy("mirror", 1, 1, true));

    HttpResponse<String> response = post("/sink", "hello mirror");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("12 "); // the main upstream got the 12 bytes
    Recorded copy = mirror.take();
    assertThat(copy.method()).isEqualTo("POST");
    assertThat(copy.path()).isEqualTo("/sink");
    assertThat(copy.host()).isEqualTo("127.0.0.1-shadow:" + proxy.port());
    assertThat(copy.body()).isEqualTo("hello mirror");
    awaitMirrorSlotsFree();
  }

  @Test
  void anHttp2MirrorGetsTheCopyAsAStream() throws Exception {
    try (TestUpstream h2Mirror = TestUpstream.h2c()) {
      start(64 * 1024, h2Mirror.port(), UpstreamProtocol.HTTP2, new MirrorPolicy("mirror", 1, 1, true));

      assertThat(post("/sink", "over h2").statusCode()).isEqualTo(200);

      io.netty.handler.codec.http.HttpRequest copy = h2Mirror.takeRequest();
      assertThat(copy.method().name()).isEqualTo("POST");
      assertThat(copy.uri()).isEqualTo("/sink");
      assertThat(copy.headers().get("host")).isEqualTo("127.0.0.1-shadow:" + proxy.port());
      awaitMirrorSlotsFree();
    }
  }

  @Test
  void withoutTheSuffixTheAuthorityIsKept() throws Exception {
    start(64 * 1024, new MirrorPolicy("mirror", 1, 1, false));

    post("/sink", "x");

    assertThat(mirror.take().host()).isEqualTo("127.0.0.1:" + proxy.port());
  }

  @Test
  void aMirrorThatNeverAnswersNeitherDelaysNorFailsTheRequest() throws Exception {
    start(64 * 1024, new MirrorPolicy("mirror", 1, 1, true));
    mirror.hold();

    HttpResponse<String> response = post("/sink", "abc");

    // The mirror still holds its copy unanswered while the main answer is already here.
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(mirror.take().body()).isEqualTo("abc");
    assertThat(mirror.answered()).isZero();
    mirror.release();
    awaitMirrorSlotsFree();
  }

  @Test
  void aMirrorThatCannotBeReachedDoesNotFailTheRequest() throws Exception {
    start(64 * 1024, new MirrorPolicy("mirror", 1, 1, true));
    mirror.close(); // connection refused from now on

    assertThat(post("/sink", "abc").statusCode()).isEqualTo(200);
    awaitMirrorSlotsFree();
  }

  @Test
  void aBodyPastTheBufferBoundIsNotMirrored() throws Exception {
    start(16, new MirrorPolicy("mirror", 1, 1, true));

    HttpResponse<String> large = post("/large", "x".repeat(1000));
    HttpResponse<String> small = post("/small", "fits");

    assertThat(large.statusCode()).isEqualTo(200);
    assertThat(small.statusCode()).isEqualTo(200);
    Recorded first = mirror.take();
    assertThat(first.path()).isEqualTo("/small"); // the large one never came
    assertThat(first.body()).isEqualTo("fits");
  }

  private void awaitMirrorSlotsFree() {
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(proxy.cluster("mirror").breakers().inUse(Breaker.MAX_REQUESTS)).isZero());
  }

  record Recorded(String method, String path, String host, String body) {}

  /** The JDK's HTTP/1.1 server, recording each request whole; it answers once released when held. */
  private static final class RecordingUpstream implements AutoCloseable {
    private final HttpServer server;
    private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    private volatile CountDownLatch held = new CountDownLatch(0);
    private final AtomicInteger answered = new AtomicInteger();

    RecordingUpstream() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext("/", this::handle);
      server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          exchange.getRequestHeaders().getFirst("Host"), body));
      try {
        held.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] answer = "mirrored".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
      answered.incrementAndGet();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void hold() {
      held = new CountDownLatch(1);
    }

    void release() {
      held.countDown();
    }

    int answered() {
      return answered.get();
    }

    Recorded take() throws InterruptedException {
      Recorded recorded = requests.poll(10, TimeUnit.SECONDS);
      assertThat(recorded).as("a mirrored request").isNotNull();
      return recorded;
    }

    @Override
    public void close() {
      release();
      server.stop(0);
    }
  }
}
