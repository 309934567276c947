package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client keeps sending requests through a sidecar pair (A's outbound to B's inbound, mTLS with
 * SPIFFE validation both ways) while both sidecars' PEM files are replaced: leaves re-issued twice,
 * then the root rotated (the bundle gains the new root, the leaves are re-issued under it, the old
 * root is removed). No request may fail, and new handshakes must present the new certificates.
 */
class RotationTest {
  private static final String CART = SpiffeMtlsTest.CART;
  private static final String INVENTORY = SpiffeMtlsTest.PROXY;

  @Test
  void rotatingLeavesAndTheRootFailsNoRequest(@TempDir Path dir) throws Exception {
    SvidPki.Ca oldRoot = SvidPki.Ca.create("example.org root 1");
    SvidPki.Ca newRoot = SvidPki.Ca.create("example.org root 2");
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    oldRoot.issue(CART).write(a, oldRoot);
    SvidPki.Leaf inventory = oldRoot.issue(INVENTORY);
    inventory.write(b, oldRoot);
    HttpServer app = SpiffeMtlsTest.okServer();
    try (Sidecar sidecarB = Sidecar.start(b, app.getAddress().getPort(), SpiffeMtlsTest.CLIENT_PREFIX, 0, "");
        Sidecar sidecarA = Sidecar.start(a, app.getAddress().getPort(), SpiffeMtlsTest.CLIENT_PREFIX,
            sidecarB.inboundPort(), INVENTORY)) {
      await().atMost(Duration.ofSeconds(10)).until(
          () -> sidecarA.admin("/ready").statusCode() == 200 && sidecarB.admin("/ready").statusCode() == 200);
      Load load = new Load(sidecarA.outboundPort());
      load.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > 20);

      for (int i = 0; i < 2; i++) {
        oldRoot.issue(CART).write(a, oldRoot);
        inventory = oldRoot.issue(INVENTORY);
        inventory.write(b, oldRoot);
        awaitPresented(sidecarB, inventory, oldRoot.issue(CART), oldRoot);
        load.awaitMore(20);
      }

      // Root rotation, step 1: both bundles trust both roots.
      oldRoot.issue(CART).write(a, oldRoot, newRoot);
      inventory = oldRoot.issue(INVENTORY);
      inventory.write(b, oldRoot, newRoot);
      awaitRoots(sidecarA, 2);
      awaitRoots(sidecarB, 2);
      load.awaitMore(20);
      // Step 2: leaves issued under the new root.
      newRoot.issue(CART).write(a, oldRoot, newRoot);
      inventory = newRoot.issue(INVENTORY);
      inventory.write(b, oldRoot, newRoot);
      awaitPresented(sidecarB, inventory, newRoot.issue(CART), newRoot);
      load.awaitMore(20);
      // Step 3: the old root leaves the bundles.
      newRoot.issue(CART).write(a, newRoot);
      inventory = newRoot.issue(INVENTORY);
      inventory.write(b, newRoot);
      awaitRoots(sidecarA, 1);
      awaitRoots(sidecarB, 1);
      awaitPresented(sidecarB, inventory, newRoot.issue(CART), newRoot);
      load.awaitMore(20);
      load.stop();

      assertThat(load.failures).as("failed requests").isEmpty();
      // B's access log names its caller, sidecar A, by the SPIFFE ID A presented.
      await().atMost(Duration.ofSeconds(10)).until(() -> sidecarB.accessLog().contains(CART + " 200"));
      // A client still holding a leaf of the removed root is now refused.
      MtlsClient stale = new MtlsClient(oldRoot.issue(CART), List.of(newRoot.certificate()));
      assertThat(getOrEmpty(stale, sidecarB.inboundPort())).isEmpty();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> sidecarB.rejected("downstream", RejectReason.UNTRUSTED_CHAIN) >= 1);
      assertThat(sidecarA.metric("outrigger_identity_updates_total{result=\"applied\"}")).isGreaterThanOrEqualTo(6);
    } finally {
      app.stop(0);
    }
  }

  /** New handshakes with B get {@code expected}; probed with a client certificate B trusts. */
  private static void awaitPresented(Sidecar sidecar, SvidPki.Leaf expected, SvidPki.Leaf probe, SvidPki.Ca root)
      throws Exception {
    MtlsClient client = new MtlsClient(probe, List.of(root.certificate()));
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      X509Certificate presented = client.serverCertificate(sidecar.inboundPort());
      return presented.equals(expected.certificate());
    });
  }

  private static void awaitRoots(Sidecar sidecar, int roots) {
    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.metric("outrigger_identity_bundle_roots") == roots);
  }

  private static String getOrEmpty(MtlsClient client, int port) {
    try {
      return client.get(port, "/stale");
    } catch (java.io.IOException refused) {
      return "";
    }
  }

  /** One thread sending requests back to back, counting successes and keeping every failure. */
  private static final class Load {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong ok = new AtomicLong();
    final Map<Long, String> failures = new ConcurrentHashMap<>();
    private Thread thread;

    Load(int port) {
      this.uri = URI.create("http://127.0.0.1:" + port + "/load");
    }

    void start() {
      thread = new Thread(() -> {
        for (long i = 0; running.get(); i++) {
          try {
            var response = client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
            if (response.statusCode() == 200 && response.body().equals("ok")) {
              ok.incrementAndGet();
            } else {
              failures.put(i, response.statusCode() + " " + response.headers().map() + " " + response.body());
            }
          } catch (Exception e) {
            failures.put(i, e.toString());
          }
        }
      }, "rotation-load");
      thread.start();
    }

    void awaitMore(long requests) {
      long target = ok.get() + requests;
      await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() >= target || !failures.isEmpty());
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
