package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timeouts are configured tiny and awaited; nothing here sleeps. */
class TimeoutTest {
  private TestUpstream upstream;
  private TestProxy proxy;

  private TestProxy start(TestProxy.Builder builder) throws Exception {
    upstream = TestUpstream.http1();
    proxy = builder.forward("/", "backend").cluster("backend", upstream.port(), UpstreamProtocol.HTTP1).start();
    return proxy;
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void streamIdleTimeoutIs408WithFlagSi() throws Exception {
    start(TestProxy.builder().streamIdleTimeout(Duration.ofMillis(100)));
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      RawHttpClient.Response response = raw.send("GET /delay/10000 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
      assertThat(response.status()).isEqualTo(408);
      assertThat(response.headers()).containsEntry("server", "outrigger");
    }
    assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.SI);
  }

  @Test
  void requestTimeoutCutsASlowUpload() throws Exception {
    start(TestProxy.builder().requestTimeout(Duration.ofMillis(100)));
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      RawHttpClient.Response response =
          raw.send("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nonly5").readResponse();
      assertThat(response.status()).isEqualTo(408);
      assertThat(raw.closedByPeer()).isTrue();
    }
    StreamInfo info = proxy.takeInfo();
    assertThat(info.responseCode()).isEqualTo(408);
    assertThat(info.responseFlags()).isEmpty();
  }

  @Test
  void timeoutAfterTheResponseStartedResetsTheDownstream() throws Exception {
    // Long enough for the response to start first even on a loaded machine.
    start(TestProxy.builder().streamIdleTimeout(Duration.ofSeconds(1)));
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
      StreamInfo info = proxy.takeInfo();
      assertThat(info.responseCode()).isEqualTo(200);
      assertThat(info.responseFlags()).containsExactly(ResponseFlag.SI);
    }
  }

  @Test
  void idleConnectionIsClosed() throws Exception {
    // Long enough for the first request to arrive before it even on a loaded machine.
    start(TestProxy.builder().idleTimeout(Duration.ofSeconds(1)));
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
      assertThat(raw.closedByPeer()).isTrue();
    }
  }

  @Test
  void drainClosesAnIdleConnectionAndAnswersTheLastRequestWithClose() throws Exception {
    start(TestProxy.builder());
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send("GET /delay/1000 HTTP/1.1\r\nHost: a\r\n\r\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> !upstream.requests.isEmpty());
      proxy.drainAll();
      RawHttpClient.Response response = raw.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(raw.closedByPeer()).isTrue();
    }
  }
}
