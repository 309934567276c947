package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 1 GiB body each way between an h2c client (curl, prior knowledge) and an HTTP/1.1 upstream:
 * byte-exact through HTTP/2 flow control on one side and HTTP/1.1 framing on the other, Content-Length or
 * chunked, with the proxy's heap capped at 64 MiB.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class H2cStreamingTest {
  private static final long GIB = 1L << 30;
  private static final long UPLOAD_SEED = 5;

  @RegisterExtension static final ProxyProcesses proxies = new ProxyProcesses();

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

    H2cCurl.Outcome<String> upload = H2cCurl.upload(proxy.resolve("/upload"), payload, framing);

    assertThat(upload.status()).isEqualTo(H2cCurl.OK);
    Digest received = Digest.fromWire(upload.body());
    assertThat(received).as("what the upstream received").isEqualTo(payload.digest());
    assertThat(received.bytes()).isEqualTo(GIB);
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void downloadsAGibibyteExactly(Framing upstreamFraming) throws Exception {
    H2cCurl.Outcome<Digest> download = H2cCurl.download(proxy.resolve(HttpUpstream.downloadTarget(GIB, upstreamFraming)));

    assertThat(download.status()).isEqualTo(H2cCurl.OK);
    assertThat(download.body()).as("what the client received").isEqualTo(upstream.takeSent());
    assertThat(download.body().bytes()).isEqualTo(GIB);
  }
}
