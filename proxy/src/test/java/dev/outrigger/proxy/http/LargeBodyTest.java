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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Large bodies (8 MiB here, since paranoid leak detection tracks every buffer access; the 1 GiB case runs in e2e) generated on the fly, streamed through the proxy up and down, checked by CRC. */
class LargeBodyTest {
  private static final long SIZE = 8L * 1024 * 1024;

  enum Hop {
    HTTP1_TO_HTTP1(HttpClient.Version.HTTP_1_1, false),
    HTTP1_TO_H2C(HttpClient.Version.HTTP_1_1, true);

    final HttpClient.Version clientVersion;
    final boolean h2cUpstream;

    Hop(HttpClient.Version clientVersion, boolean h2cUpstream) {
      this.clientVersion = clientVersion;
      this.h2cUpstream = h2cUpstream;
    }
  }

  @ParameterizedTest
  @EnumSource(Hop.class)
  void largeBodiesStreamBothWays(Hop hop) throws Exception {
    try (TestUpstream upstream = hop.h2cUpstream ? TestUpstream.h2c() : TestUpstream.http1();
        TestProxy proxy =
            TestProxy.builder()
                .forward("/", "backend", java.time.Duration.ZERO)
                .cluster("backend", upstream.port(), hop.h2cUpstream ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1)
                .start()) {
      HttpClient client = HttpClient.newBuilder().version(hop.clientVersion).build();

      HttpResponse<String> upload =
          client.send(
              HttpRequest.newBuilder(URI.create(proxy.url("/sink")))
                  .POST(BodyPublishers.ofInputStream(() -> GeneratedBody.stream(SIZE)))
                  .build(),
              BodyHandlers.ofString());
      assertThat(upload.body()).isEqualTo(SIZE + " " + GeneratedBody.crc(SIZE));

      HttpResponse<InputStream> download =
          client.send(HttpRequest.newBuilder(URI.create(proxy.url("/bytes/" + SIZE))).build(), BodyHandlers.ofInputStream());
      try (InputStream body = download.body()) {
        assertThat(GeneratedBody.lengthAndCrc(body)).isEqualTo(SIZE + " " + GeneratedBody.crc(SIZE));
      }

      HttpResponse<InputStream> echo =
          client.send(
              HttpRequest.newBuilder(URI.create(proxy.url("/echo")))
                  .POST(BodyPublishers.ofInputStream(() -> GeneratedBody.stream(SIZE)))
                  .build(),
              BodyHandlers.ofInputStream());
      try (InputStream body = echo.body()) {
        assertThat(GeneratedBody.lengthAndCrc(body)).isEqualTo(SIZE + " " + GeneratedBody.crc(SIZE));
      }
    }
  }
}
