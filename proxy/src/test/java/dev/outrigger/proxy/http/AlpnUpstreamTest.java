package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An ALPN cluster speaks whatever the TLS handshake chose, and keeps reusing its connection. */
class AlpnUpstreamTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void upstreamProtocolFollowsAlpn(boolean upstreamSpeaksH2) throws Exception {
    try (TestUpstream upstream = TestUpstream.tls(upstreamSpeaksH2);
        TestProxy proxy =
            TestProxy.builder().forward("/", "tls").cluster("tls", TestTls.alpnCluster("tls", upstream.port())).start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create(proxy.url("/echo"))).POST(BodyPublishers.ofString("secret " + i)).build(),
                BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("secret " + i);
      }
      assertThat(upstream.takeRequest().headers().contains("x-http2-stream-id")).isEqualTo(upstreamSpeaksH2);
      assertThat(upstream.connections.get()).isEqualTo(1);
    }
  }
}
