package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receive windows the proxy gives its HTTP/2 peers, read from the peers' side: downstream (an
 * h2c client) and upstream (an h2c server). Without them a peer may send 64 KiB per connection and
 * round trip.
 */
class FlowControlWindowsTest {
  private TestUpstream upstream;
  private TestProxy proxy;
  private H2cClient client;

  @BeforeEach
  void start() throws Exception {
    upstream = TestUpstream.h2c();
    proxy = TestProxy.builder().forward("/", "backend").cluster("backend", upstream.port(), UpstreamProtocol.HTTP2).start();
    client = new H2cClient(proxy.port());
    assertThat(client.get("/plain").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    client.close();
    proxy.close();
    upstream.close();
  }

  @Test
  void downstreamClientsMaySendAMegabytePerStreamAndTwoPerConnection() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(windowsGranted(client.connection()))
        .containsExactly(FlowControlWindows.STREAM_WINDOW, FlowControlWindows.CONNECTION_WINDOW));
  }

  @Test
  void upstreamsMaySendAMegabytePerStreamAndTwoPerConnection() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(upstream.connections()).hasSize(1);
      // The response body ("ok") used two bytes of the connection window; the proxy gives them back
      // only once half the window is used.
      assertThat(windowsGranted(upstream.connections().get(0)))
          .containsExactly(FlowControlWindows.STREAM_WINDOW, FlowControlWindows.CONNECTION_WINDOW - 2);
    });
  }

  /** What the proxy on the other end of {@code peer} lets it send: a new stream's window, the connection's. */
  private static int[] windowsGranted(Channel peer) throws Exception {
    return peer.eventLoop().submit(() -> {
      Http2Connection connection = peer.pipeline().get(Http2FrameCodec.class).connection();
      Http2RemoteFlowController sending = connection.remote().flowController();
      return new int[] {sending.initialWindowSize(), sending.windowSize(connection.connectionStream())};
    }).get(10, TimeUnit.SECONDS);
  }
}
