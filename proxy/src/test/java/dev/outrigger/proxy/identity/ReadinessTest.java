package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config that refers to the workload identity is not ready, and serves no TLS, until it is loaded. */
class ReadinessTest {
  @Test
  void readyOnlyOnceTheIdentityIsLoaded(@TempDir Path dir) throws Exception {
    SvidPki.Ca root = SvidPki.Ca.create("example.org root");
    HttpServer app = SpiffeMtlsTest.okServer();
    try (Sidecar sidecar = Sidecar.start(dir, app.getAddress().getPort(), SpiffeMtlsTest.CLIENT_PREFIX, 0, "")) {
      assertThat(sidecar.admin("/ready").statusCode()).isEqualTo(503);
      assertThat(sidecar.admin("/certs").body()).contains("\"loaded\" : false");
      MtlsClient client = new MtlsClient(root.issue(SpiffeMtlsTest.CART), List.of(root.certificate()));
      String refused;
      try {
        refused = client.get(sidecar.inboundPort(), "/early");
      } catch (IOException e) {
        refused = "";
      }
      assertThat(refused).isEmpty();

      root.issue(SpiffeMtlsTest.PROXY).write(dir, root);
      await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.admin("/ready").statusCode() == 200);
      assertThat(client.get(sidecar.inboundPort(), "/now")).startsWith("HTTP/1.1 200");
    } finally {
      app.stop(0);
    }
  }
}
