package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 64 MiB bodies generated on the fly, streamed through the proxy up and down, checked by CRC (the
 * 1 GiB-with-a-small-heap case belongs to e2e). No large echo here: the JDK client does not read the
 * response while it still uploads, so a bounded echo would stall on any path, proxy or not.
 */
class LargeBodyTest {
  private static final long SIZE = 64L * 1024 * 1024;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void largeBodiesStreamBothWays(boolean h2cUpstream) throws Exception {
    try (TestUpstream upstream = h2cUpstream ? TestUpstream.h2c() : TestUpstream.http1();
        TestProxy proxy =
            TestProxy.builder()
                .forward("/", "backend", Duration.ZERO)
                .cluster("backend", upstream.port(), h2cUpstream ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1)
                .start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String expected = SIZE + " " + GeneratedBody.crc(SIZE);

      HttpResponse<String> upload =
          client.send(
              HttpRequest.newBuilder(URI.create(proxy.url("/sink")))
                  .POST(BodyPublishers.ofInputStream(() -> GeneratedBody.stream(SIZE)))
                  .build(),
              BodyHandlers.ofString());
      assertThat(upload.body()).isEqualTo(expected);

      HttpResponse<InputStream> download =
          client.send(HttpRequest.newBuilder(URI.create(proxy.url("/bytes/" + SIZE))).build(), BodyHandlers.ofInputStream());
      try (InputStream body = download.body()) {
        assertThat(GeneratedBody.lengthAndCrc(body)).isEqualTo(expected);
      }
    }
  }
}
