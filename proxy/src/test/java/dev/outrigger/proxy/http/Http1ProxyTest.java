package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.stream.StreamInfo;
import io.netty.handler.codec.http.HttpRequest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Http1ProxyTest {
  private TestUpstream upstream;
  private TestProxy proxy;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

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

  private HttpResponse<String> send(java.net.http.HttpRequest request) throws Exception {
    return client.send(request, BodyHandlers.ofString());
  }

  @Test
  void getIsForwardedAndReported() throws Exception {
    HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(URI.create(proxy.url("/hello?x=1"))).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(response.headers().firstValue("server")).hasValue("outrigger");
    assertThat(response.headers().firstValue("x-envoy-upstream-service-time")).isPresent();
    assertThat(upstream.takeRequest().uri()).isEqualTo("/hello?x=1");
    StreamInfo info = proxy.takeInfo();
    assertThat(info.responseCode()).isEqualTo(200);
    assertThat(info.protocol()).isEqualTo("HTTP/1.1");
    assertThat(info.routeName()).isEqualTo("route0");
    assertThat(info.upstreamCluster()).isEqualTo("backend");
    assertThat(info.upstreamHost()).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(info.responseFlags()).isEmpty();
    assertThat(info.bytesSent()).isEqualTo(2);
    assertThat(info.durationNanos()).isPositive();
  }

  @Test
  void postWithContentLengthIsEchoed() throws Exception {
    HttpResponse<String> response =
        send(java.net.http.HttpRequest.newBuilder(URI.create(proxy.url("/echo"))).POST(BodyPublishers.ofString("hello body")).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello body");
    assertThat(upstream.takeRequest().headers().get("content-length")).isEqualTo("10");
    assertThat(proxy.takeInfo().bytesReceived()).isEqualTo(10);
  }

  @Test
  void chunkedPostIsStreamedChunked() throws Exception {
    HttpResponse<String> response =
        send(
            java.net.http.HttpRequest.newBuilder(URI.create(proxy.url("/echo")))
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("chunked body".getBytes())))
                .build());

    assertThat(response.body()).isEqualTo("chunked body");
    HttpRequest received = upstream.takeRequest();
    assertThat(received.headers().get("transfer-encoding")).isEqualTo("chunked");
    assertThat(received.headers().contains("content-length")).isFalse();
  }

  @Test
  void upstreamConnectionCloseIsHopByHopAndEndsThatConnection() throws Exception {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(URI.create(proxy.url("/last-on-connection"))).build());
      assertThat(response.body()).isEqualTo("ok");
      assertThat(response.headers().map()).doesNotContainKeys("x-private", "keep-alive", "connection");
    }
    assertThat(upstream.connections.get()).isEqualTo(2);
  }

  @Test
  void keepAliveConnectionsAreReusedUpstream() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(send(java.net.http.HttpRequest.newBuilder(URI.create(proxy.url("/n" + i))).build()).statusCode()).isEqualTo(200);
    }
    assertThat(upstream.connections.get()).isEqualTo(1);
  }
}
