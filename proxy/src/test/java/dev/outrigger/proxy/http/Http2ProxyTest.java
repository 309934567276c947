package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 downstream and upstream (h2c, prior knowledge), and translation to and from HTTP/1.1. */
class Http2ProxyTest {
  private TestUpstream upstream;
  private TestProxy proxy;
  private H2cClient h2;

  private void start(boolean h2cUpstream) throws Exception {
    start(h2cUpstream, TestProxy.builder());
  }

  private void start(boolean h2cUpstream, TestProxy.Builder builder) throws Exception {
    upstream = h2cUpstream ? TestUpstream.h2c() : TestUpstream.http1();
    proxy =
        builder
            .forward("/", "backend")
            .cluster("backend", upstream.port(), h2cUpstream ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1)
            .start();
    h2 = new H2cClient(proxy.port());
  }

  @AfterEach
  void stop() {
    h2.close();
    proxy.close();
    upstream.close();
  }

  private static H2cClient.Response within10s(CompletableFuture<H2cClient.Response> response) throws Exception {
    return response.get(10, TimeUnit.SECONDS);
  }

  @Test
  void h2ClientToHttp1Upstream() throws Exception {
    start(false);
    H2cClient.Response response = within10s(h2.send("POST", "/echo", new DefaultHttpHeaders().set("content-type", "text/plain"), "over h2"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("over h2");
    assertThat(response.headers().get("server")).isEqualTo("outrigger");
    HttpRequest received = upstream.takeRequest();
    assertThat(received.headers().get("host")).isEqualTo("test.local");
    assertThat(received.headers().get("transfer-encoding")).isEqualTo("chunked");
    assertThat(received.headers().names()).noneMatch(name -> name.startsWith("x-http2"));
    StreamInfo info = proxy.takeInfo();
    assertThat(info.protocol()).isEqualTo("HTTP/2");
    assertThat(info.bytesReceived()).isEqualTo(7);
  }

  @Test
  void h2ClientGetWithoutBodyReachesHttp1UpstreamWithoutFraming() throws Exception {
    start(false);
    assertThat(within10s(h2.get("/plain")).body()).isEqualTo("ok");
    HttpRequest received = upstream.takeRequest();
    assertThat(received.headers().contains("transfer-encoding")).isFalse();
    assertThat(received.headers().contains("content-length")).isFalse();
  }

  @Test
  void interimContinueReachesHttp2ClientsWithoutEndingTheStream() throws Exception {
    start(false);
    H2cClient.Response response =
        within10s(h2.send("POST", "/echo", new DefaultHttpHeaders().set("expect", "100-continue"), "after continue"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("after continue");
    assertThat(response.interimStatuses()).containsExactly(100);
  }

  @Test
  void trailersPassBetweenHttp2Peers() throws Exception {
    start(true);
    H2cClient.Response response = within10s(h2.send("POST", "/echo", new DefaultHttpHeaders().set("x-want-trailers", "1").set("te", "trailers"), "abc"));

    assertThat(response.body()).isEqualTo("abc");
    assertThat(response.trailers().get(TestUpstream.TRAILER)).startsWith("3 ");
    assertThat(upstream.takeRequest().headers().get("te")).isEqualTo("trailers");
  }

  @Test
  void http1ClientToH2cUpstreamSharesOneConnection() throws Exception {
    start(true);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<java.net.http.HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      responses.add(
          client.sendAsync(
              java.net.http.HttpRequest.newBuilder(URI.create(proxy.url("/echo/" + i)))
                  .header("x-want-trailers", "1")
                  .POST(BodyPublishers.ofString("body " + i))
                  .build(),
              BodyHandlers.ofString()));
    }
    for (int i = 0; i < 8; i++) {
      java.net.http.HttpResponse<String> response = responses.get(i).get(10, TimeUnit.SECONDS);
      assertThat(response.body()).isEqualTo("body " + i);
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
    assertThat(upstream.connections.get()).isEqualTo(1);
    assertThat(upstream.takeRequest().headers().get("x-http2-stream-id")).isNotNull();
  }

  @Test
  void downstreamResetCancelsTheUpstreamStream() throws Exception {
    start(true);
    var stream = h2.openAndReset("/echo");
    await().atMost(Duration.ofSeconds(5)).until(() -> !upstream.requests.isEmpty());
    stream.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.resetsReceived.get() == 1);
    assertThat(proxy.takeInfo().responseFlags()).contains(ResponseFlag.DC);
  }

  @Test
  void upstreamResetBeforeHeadersIs503WithFlagUr() throws Exception {
    start(true);
    H2cClient.Response response = within10s(h2.get("/close"));

    assertThat(response.status()).isEqualTo(503);
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.UR);
  }

  @Test
  void upstreamResetAfterHeadersResetsTheDownstreamStream() throws Exception {
    start(true);
    H2cClient.Response response = within10s(h2.get("/close-mid"));

    assertThat(response.resetCode()).isNotNull();
    StreamInfo info = proxy.takeInfo();
    assertThat(info.responseCode()).isEqualTo(200);
    assertThat(info.responseFlags()).containsExactly(ResponseFlag.UR);
  }

  @Test
  void upstreamCloseAfterHeadersResetsTheDownstreamStream() throws Exception {
    start(false);
    H2cClient.Response response = within10s(h2.get("/close-mid"));

    assertThat(response.resetCode()).isNotNull();
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.UC);
  }

  @Test
  void localRepliesReachHttp2Clients() throws Exception {
    start(false);
    upstream.close();
    H2cClient.Response response = within10s(h2.get("/anything"));
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.body()).contains("connection failure");
  }

  @Test
  void idleConnectionGetsGoAwayAndIsClosed() throws Exception {
    start(false, TestProxy.builder().idleTimeout(Duration.ofSeconds(1)));
    assertThat(within10s(h2.get("/x")).body()).isEqualTo("ok");

    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openDownstreamConnections() == 0);
  }

  @Test
  void drainSendsGoAwayAndClosesOnceStreamsEnd() throws Exception {
    start(false);
    CompletableFuture<H2cClient.Response> slow = h2.get("/delay/200");
    await().atMost(Duration.ofSeconds(5)).until(() -> !upstream.requests.isEmpty());
    proxy.drainAll();

    assertThat(within10s(slow).body()).isEqualTo("late");
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openDownstreamConnections() == 0);
  }
}
