package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFileIdentitySourceTest {
  private static final SvidPki.Ca ROOT = SvidPki.Ca.create("example.org root");
  private static final String CART = "spiffe://example.org/ns/shop/sa/cart";

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<WorkloadIdentity> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    scheduler.shutdownNow();
    scheduler.awaitTermination(10, TimeUnit.SECONDS);
  }

  private PemFileIdentitySource source(Path dir) {
    return new PemFileIdentitySource(dir.resolve("cert.pem"), dir.resolve("key.pem"), dir.resolve("bundle.pem"),
        scheduler, Duration.ofMillis(20));
  }

  @Test
  void deliversTheFilesAndEachChangeOfThem(@TempDir Path dir) throws Exception {
    SvidPki.Leaf first = ROOT.issue(CART);
    first.write(dir, ROOT);
    try (PemFileIdentitySource source = source(dir)) {
      source.start(delivered::add);
      await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 1);
      assertThat(delivered.get(0).leaf()).isEqualTo(first.certificate());
      assertThat(delivered.get(0).trustBundle()).containsExactly(ROOT.certificate());

      SvidPki.Leaf second = ROOT.issue(CART);
      second.write(dir, ROOT);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> delivered.get(delivered.size() - 1).leaf().equals(second.certificate()));
    }
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedAndNothingIsDelivered(@TempDir Path dir) throws Exception {
    SvidPki.Leaf leaf = ROOT.issue(CART);
    leaf.write(dir, ROOT);
    try (PemFileIdentitySource source = source(dir)) {
      source.start(delivered::add);
      await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 1);
      SvidPki.replace(dir.resolve("key.pem"), ROOT.issue(CART).keyPem());
      SvidPki.Leaf next = ROOT.issue(CART);
      // The refused set is not delivered; a good set after it is.
      SvidPki.replace(dir.resolve("cert.pem"), next.certificatePem());
      SvidPki.replace(dir.resolve("key.pem"), next.keyPem());
      await().atMost(Duration.ofSeconds(10))
          .until(() -> delivered.get(delivered.size() - 1).leaf().equals(next.certificate()));
      assertThat(delivered).allSatisfy(identity -> assertThat(KeyPairCheck.matches(identity.privateKey(), identity.leaf())).isTrue());
    }
  }

  @Test
  void readsSec1AndPkcs1KeysAndExplainsWhatItRefuses(@TempDir Path dir) throws Exception {
    SvidPki.Leaf leaf = ROOT.issue(CART);
    byte[] chain = leaf.certificatePem().getBytes(StandardCharsets.US_ASCII);
    byte[] bundle = ROOT.pem().getBytes(StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve("k8-ec.pem"), leaf.keyPem());
    Process ec = new ProcessBuilder("openssl", "ec", "-in", "k8-ec.pem", "-out", "sec1.pem")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    assertThat(ec.waitFor(60, TimeUnit.SECONDS) && ec.exitValue() == 0).isTrue();
    byte[] sec1 = Files.readAllBytes(dir.resolve("sec1.pem"));
    assertThat(new String(sec1, StandardCharsets.US_ASCII)).contains("BEGIN EC PRIVATE KEY");
    assertThat(PemFileIdentitySource.load(chain, sec1, bundle).leaf()).isEqualTo(leaf.certificate());

    Process rsa = new ProcessBuilder("sh", "-c",
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout k8.pem -out c.pem -subj /CN=rsa -days 1"
            + " -addext subjectAltName=URI:spiffe://example.org/rsa && openssl rsa -in k8.pem -traditional -out k1.pem")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    assertThat(rsa.waitFor(60, TimeUnit.SECONDS) && rsa.exitValue() == 0).isTrue();
    assertThat(Files.readString(dir.resolve("k1.pem"))).contains("BEGIN RSA PRIVATE KEY");
    assertThat(PemFileIdentitySource.load(Files.readAllBytes(dir.resolve("c.pem")),
        Files.readAllBytes(dir.resolve("k1.pem")), Files.readAllBytes(dir.resolve("c.pem"))).privateKey().getAlgorithm())
        .isEqualTo("RSA");

    assertThatThrownBy(() -> PemFileIdentitySource.load(chain, "not a key".getBytes(StandardCharsets.US_ASCII), bundle))
        .hasMessageContaining("the key file holds no unencrypted private key");
    assertThatThrownBy(() -> PemFileIdentitySource.load(chain, ROOT.issue(CART).keyPem().getBytes(StandardCharsets.US_ASCII), bundle))
        .hasMessageContaining("the private key does not belong to the certificate");
    assertThatThrownBy(() -> PemFileIdentitySource.load(chain, leaf.keyPem().getBytes(StandardCharsets.US_ASCII), new byte[0]))
        .hasMessageContaining("the trust bundle holds no certificate");
  }
}
