package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A pool lives as long as its connections: when the upstream closes them all, the loop forgets it. */
class UpstreamPoolsTest {

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void poolIsDroppedWithItsLastConnection(boolean h2cUpstream) throws Exception {
    try (TestUpstream upstream = h2cUpstream ? TestUpstream.h2c() : TestUpstream.http1();
        TestProxy proxy =
            TestProxy.builder()
                .forward("/", "backend")
                .cluster("backend", upstream.port(), h2cUpstream ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1)
                .start();
        H2cClient client = new H2cClient(proxy.port())) {
      assertThat(client.get("/x").get(10, TimeUnit.SECONDS).body()).isEqualTo("ok");
      assertThat(proxy.onLoop(UpstreamPools::onThisLoop)).isEqualTo(1);

      upstream.dropConnections();

      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.onLoop(UpstreamPools::onThisLoop) == 0);
    }
  }
}
