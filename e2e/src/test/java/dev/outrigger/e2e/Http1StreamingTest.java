package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 1 GiB body each way through the proxy over HTTP/1.1, framed by Content-Length and chunked,
 * arrives byte-exact while the proxy's heap is capped at 64 MiB: only a proxy that streams with
 * backpressure fits.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class Http1StreamingTest {
  private static final long GIB = 1L << 30;
  private static final long UPLOAD_SEED = 1;

  @RegisterExtension static final ProxyProcesses proxies = new ProxyProcesses();

  private static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static HttpUpstream upstream;
  private static URI proxy;

  @BeforeAll
  static void startUpstreamAndProxy() throws IOException {
    upstream = HttpUpstream.start();
    Bootstrap bootstrap = new Bootstrap().httpListener("http", "app").cluster("app", upstream.port());
    proxies.start(bootstrap);
    proxy = URI.create("http://127.0.0.1:" + bootstrap.listener("http").getPort());
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void uploadsAGibibyteExactly(Framing framing) throws Exception {
    Payload payload = new Payload(GIB, UPLOAD_SEED);
    BodyPublisher chunked = BodyPublishers.ofInputStream(() -> payload);
    HttpRequest request =
        HttpRequest.newBuilder(proxy.resolve("/upload"))
            .PUT(framing == Framing.LENGTH ? BodyPublishers.fromPublisher(chunked, GIB) : chunked)
            .build();

    HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    Digest received = Digest.fromWire(response.body());
    assertThat(received).as("what the upstream received").isEqualTo(payload.digest());
    assertThat(received.bytes()).isEqualTo(GIB);
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void downloadsAGibibyteExactly(Framing framing) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(proxy.resolve(HttpUpstream.downloadTarget(GIB, framing))).build();

    HttpResponse<InputStream> response = client.send(request, BodyHandlers.ofInputStream());
    Digest received;
    try (InputStream body = response.body()) {
      received = Digest.of(body);
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(received).as("what the client received").isEqualTo(upstream.takeSent());
    assertThat(received.bytes()).isEqualTo(GIB);
  }
}
