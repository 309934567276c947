package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.stream.ResponseFlag;
import org.junit.jupiter.api.Test;

class NoRouteTest {

  @Test
  void noRouteIs404WithFlagNr() throws Exception {
    try (TestProxy proxy = TestProxy.builder().forward("/only", "backend").cluster("backend", 1, UpstreamProtocol.HTTP1).start();
        RawHttpClient raw = new RawHttpClient(proxy.port())) {
      RawHttpClient.Response response = raw.send("GET /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();

      assertThat(response.status()).isEqualTo(404);
      assertThat(response.headers()).containsEntry("server", "outrigger");
      assertThat(response.body()).isEqualTo("no route matched");
      assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.NR);
    }
  }

  @Test
  void refusingAClientThatAwaitsContinueClosesTheConnectionRatherThanWaitForItsBody() throws Exception {
    try (TestProxy proxy = TestProxy.builder().forward("/only", "backend").cluster("backend", 1, UpstreamProtocol.HTTP1).start();
        RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send("POST /elsewhere HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");

      RawHttpClient.Response response = raw.readResponse();
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(raw.closedByPeer()).isTrue();
      assertThat(proxy.takeInfo().responseCode()).isEqualTo(404);
    }
  }
}
