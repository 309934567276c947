package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
  private TestUpstream upstream;
  private TestProxy proxy;

  private HttpHeaders forward(TestProxy.Builder builder, String extraHeaders) throws Exception {
    upstream = TestUpstream.http1();
    proxy = builder.forward("/", "backend").cluster("backend", upstream.port(), UpstreamProtocol.HTTP1).start();
    try (RawHttpClient raw = new RawHttpClient(proxy.port())) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: a\r\n" + extraHeaders + "\r\n").readResponse().status()).isEqualTo(200);
    }
    return upstream.takeRequest().headers();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void requestIdIsGeneratedWhenAbsent() throws Exception {
    HttpHeaders received = forward(TestProxy.builder(), "");
    assertThat(received.get("x-request-id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void requestIdIsKeptWhenPresent() throws Exception {
    assertThat(forward(TestProxy.builder(), "X-Request-Id: abc-123\r\n").get("x-request-id")).isEqualTo("abc-123");
  }

  @Test
  void requestIdIsNotGeneratedWhenDisabled() throws Exception {
    assertThat(forward(TestProxy.builder().generateRequestId(false), "").contains("x-request-id")).isFalse();
  }

  @Test
  void edgeProxyAppendsThePeerToForwardedFor() throws Exception {
    HttpHeaders received = forward(TestProxy.builder().useRemoteAddress(true), "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n");
    assertThat(received.get("x-forwarded-for")).isEqualTo("10.0.0.1,127.0.0.1");
    assertThat(received.get("x-forwarded-proto")).isEqualTo("http");
  }

  @Test
  void innerProxyKeepsForwardedHeadersAsReceived() throws Exception {
    HttpHeaders received = forward(TestProxy.builder(), "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n");
    assertThat(received.get("x-forwarded-for")).isEqualTo("10.0.0.1");
    assertThat(received.get("x-forwarded-proto")).isEqualTo("https");
  }
}
