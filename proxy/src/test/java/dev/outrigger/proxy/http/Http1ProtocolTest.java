package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.1 on the wire, by hand: smuggling defences, pipelining, hop-by-hop headers, 100-continue. */
class Http1ProtocolTest {
  private TestUpstream upstream;
  private TestProxy proxy;

  @BeforeEach
  void start() throws Exception {
    upstream = TestUpstream.http1();
    proxy = TestProxy.builder().forward("/", "backend").cluster("backend", upstream.port(), UpstreamProtocol.HTTP1).start();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Content-Length: 3\r\nContent-Length: 4",
        "Content-Length: 3\r\nContent-Length: 3",
        "Content-Length: 3, 4",
        "Transfer-Encoding: chunked\r\nContent-Length: 3",
        "Transfer-Encoding: gzip",
        "Transfer-Encoding: gzip, chunked",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
        "X-Folded: a\r\n b",
        "Bad Name: x",
        "X-Bad: a\u0001b",
      })
  void smugglingAttemptsAreRejectedAndTheConnectionClosed(String headers) throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send("POST /echo HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n\r\nabc\r\n0\r\n\r\n");

      RawHttpClient.Response response = raw.readResponse();
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.headers()).containsEntry("connection", "close").containsEntry("server", "outrigger");
      assertThat(raw.closedByPeer()).isTrue();
    }
    StreamInfo info = proxy.takeInfo();
    assertThat(info.responseFlags()).containsExactly(ResponseFlag.DPE);
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void oversizedHeadIs431() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      RawHttpClient.Response response = raw.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(70 * 1024) + "\r\n\r\n").readResponse();
      assertThat(response.status()).isEqualTo(431);
    }
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.DPE);
  }

  @Test
  void absoluteFormTargetBecomesOriginFormWithItsAuthorityAsHost() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      assertThat(raw.send("GET http://svc.local:8080/p?q=1 HTTP/1.1\r\nHost: other\r\n\r\n").readResponse().status()).isEqualTo(200);
    }
    HttpRequest received = upstream.takeRequest();
    assertThat(received.uri()).isEqualTo("/p?q=1");
    assertThat(received.headers().get("host")).isEqualTo("svc.local:8080");
  }

  @Test
  void missingHostIsRejected() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      assertThat(raw.send("GET / HTTP/1.1\r\n\r\n").readResponse().status()).isEqualTo(400);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send(
          "GET /delay/100 HTTP/1.1\r\nHost: a\r\n\r\n"
              + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nsecond"
              + "GET /third HTTP/1.1\r\nHost: a\r\n\r\n");

      assertThat(raw.readResponse().body()).isEqualTo("late");
      assertThat(raw.readResponse().body()).isEqualTo("second");
      assertThat(raw.readResponse().body()).isEqualTo("ok");
    }
  }

  @Test
  void earlyUpstreamAnswerEndsTheExchangeAndTheRestOfTheBodyIsDropped() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send("POST /early HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12345");
      assertThat(raw.readResponse().status()).isEqualTo(413);

      raw.send("67890GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(raw.readResponse().body()).isEqualTo("ok");
    }
    assertThat(proxy.takeInfo().responseCode()).isEqualTo(413);
    assertThat(upstream.connections.get()).isEqualTo(2);
  }

  @Test
  void hopByHopHeadersAreRemovedBothWays() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send(
          "GET /x HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, x-private\r\nX-Private: secret\r\n"
              + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers, deflate\r\n"
              + "Upgrade: h2c\r\nX-Kept: yes\r\n\r\n");
      RawHttpClient.Response response = raw.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers()).doesNotContainKeys("keep-alive", "connection");
    }
    HttpHeaders received = upstream.takeRequest().headers();
    assertThat(received.contains("x-private")).isFalse();
    assertThat(received.contains("keep-alive")).isFalse();
    assertThat(received.contains("proxy-connection")).isFalse();
    assertThat(received.contains("upgrade")).isFalse();
    assertThat(received.get("te")).isEqualTo("trailers");
    assertThat(received.get("x-kept")).isEqualTo("yes");
    assertThat(received.getAll("connection")).doesNotContain("x-private");
  }

  @Test
  void expectContinueIsForwardedAndAnswered() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      assertThat(raw.readResponse().status()).isEqualTo(100);
      raw.send("body");
      RawHttpClient.Response response = raw.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("body");
    }
  }

  @Test
  void http10ClientGetsItsConnectionClosedAfterTheResponse() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      RawHttpClient.Response response = raw.send("GET /x HTTP/1.0\r\n\r\n").readResponse();
      assertThat(response.body()).isEqualTo("ok");
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(proxy.takeInfo().protocol()).isEqualTo("HTTP/1.0");
  }

  @Test
  void connectionCloseFromTheClientIsHonoured() throws Exception {
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      RawHttpClient.Response response = raw.send("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readResponse();
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(raw.closedByPeer()).isTrue();
    }
  }
}
