package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.stream.StreamInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebSocketTest {

  @Test
  void webSocketUpgradeBecomesATunnel() throws Exception {
    try (TestUpstream upstream = TestUpstream.webSocketEcho();
        TestProxy proxy = TestProxy.builder().forward("/", "ws").cluster("ws", upstream.port(), UpstreamProtocol.HTTP1).start()) {
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                      received.add(data.toString());
                      webSocket.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);

      socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("HELLO");
      socket.sendText("again", true).get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("AGAIN");

      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
      StreamInfo info = proxy.takeInfo();
      assertThat(info.responseCode()).isEqualTo(101);
      assertThat(info.bytesReceived()).isPositive();
      assertThat(info.bytesSent()).isPositive();
    }
  }
}
