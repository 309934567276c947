package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that does not read makes the proxy stop reading the upstream, so the upstream's own
 * writes back up: the body waits in the upstream, not in the proxy.
 */
class BackpressureTest {
  private static final long ONE_GIB = 1L << 30;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aClientThatDoesNotReadHoldsBackTheUpstream(boolean h2cUpstream) throws Exception {
    try (TestUpstream upstream = h2cUpstream ? TestUpstream.h2c() : TestUpstream.http1();
        TestProxy proxy =
            TestProxy.builder()
                .forward("/", "backend", Duration.ZERO)
                .cluster("backend", upstream.port(), h2cUpstream ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1)
                .start();
        RawHttpClient raw = new RawHttpClient(proxy.port())) {
      raw.send("GET /bytes/" + ONE_GIB + " HTTP/1.1\r\nHost: a\r\n\r\n");

      // Held back for good, not for a moment: a proxy that kept reading would drain it at once.
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20)).until(() -> upstream.heldBack);
      assertThat(proxy.completed).isEmpty();
    }
  }
}
