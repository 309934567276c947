package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every reply the proxy makes itself: status, Envoy flag in the StreamInfo, server header. */
class LocalReplyTest {
  private TestUpstream upstream;
  private TestProxy proxy;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    upstream = TestUpstream.http1();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    proxy =
        TestProxy.builder()
            .route("/direct", new RouteAction.DirectResponse(218, Optional.of("direct body")))
            .route(
                "/redirect",
                new RouteAction.Redirect(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("/elsewhere"), Optional.empty(), 302, false))
            .forward("/missing-cluster", "nonexistent")
            .forward("/no-endpoints", "empty")
            .forward("/refused", "refused")
            .forward("/slow", "backend", Duration.ofMillis(50))
            .forward("/", "backend")
            .cluster("backend", upstream.port(), UpstreamProtocol.HTTP1)
            .cluster("empty", List.of(), UpstreamProtocol.HTTP1)
            .cluster("refused", closedPort, UpstreamProtocol.HTTP1)
            .start();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(proxy.url(path))).build(), BodyHandlers.ofString());
  }

  private void assertLocalReply(String path, int status, ResponseFlag flag, String bodyPart) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("server")).hasValue("outrigger");
    assertThat(response.body()).contains(bodyPart);
    StreamInfo info = proxy.takeInfo();
    assertThat(info.responseCode()).isEqualTo(status);
    assertThat(info.responseFlags()).containsExactly(flag);
  }

  @Test
  void clusterMissingIs503WithFlagNc() throws Exception {
    assertLocalReply("/missing-cluster", 503, ResponseFlag.NC, "");
  }

  @Test
  void noEndpointIs503WithFlagUh() throws Exception {
    assertLocalReply("/no-endpoints", 503, ResponseFlag.UH, "no healthy upstream");
  }

  @Test
  void connectFailureIs503WithFlagUf() throws Exception {
    assertLocalReply("/refused", 503, ResponseFlag.UF, "connection failure");
  }

  @Test
  void upstreamCloseBeforeHeadersIs503WithFlagUc() throws Exception {
    assertLocalReply("/close", 503, ResponseFlag.UC, "connection termination");
  }

  @Test
  void routeTimeoutIs504WithFlagUt() throws Exception {
    assertLocalReply("/slow/delay/5000", 504, ResponseFlag.UT, "upstream request timeout");
  }

  @Test
  void directResponseIsAnsweredLocally() throws Exception {
    HttpResponse<String> response = get("/direct");
    assertThat(response.statusCode()).isEqualTo(218);
    assertThat(response.body()).isEqualTo("direct body");
    assertThat(proxy.takeInfo().responseFlags()).isEmpty();
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void redirectIsAnsweredLocally() throws Exception {
    HttpResponse<String> response = get("/redirect");
    assertThat(response.statusCode()).isEqualTo(302);
    // As Envoy: an absolute URL, the request's scheme and authority kept.
    assertThat(response.headers().firstValue("location"))
        .hasValue("http://127.0.0.1:" + proxy.port() + "/elsewhere");
  }

  @Test
  void keepAliveSurvivesLocalReplies() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send("POST /missing-cluster HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(raw.readResponse().status()).isEqualTo(503);
      raw.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(raw.readResponse().body()).isEqualTo("ok");
    }
  }
}
