package dev.outrigger.proxy.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload identity from three PEM files: the certificate chain (leaf first), its private key
 * (PKCS#8, or SEC1 / PKCS#1 as {@code openssl} writes them), and the trust bundle. The files are
 * read at start and then polled; when their contents change, the new set is loaded and delivered.
 * A set that does not load (unparsable, key not the leaf's, empty bundle; or caught half-written
 * during a replacement) is refused with an error line and the previous identity keeps serving;
 * the same contents are not retried until they change again.
 */
public final class PemFileIdentitySource implements IdentitySource {
  private static final Logger log = LoggerFactory.getLogger(PemFileIdentitySource.class);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  private final Path certificateChain;
  private final Path privateKey;
  private final Path trustBundle;
  private final ScheduledExecutorService scheduler;
  private final Duration pollInterval;
  private final boolean ownsScheduler;
  private ScheduledFuture<?> polling;
  /** The file contents last tried, loaded or refused; guarded by polls being synchronized. */
  private byte[][] lastSeen;

  /**
   * @param scheduler runs the polls (one thread is enough); not shut down by {@link #close}
   */
  public PemFileIdentitySource(
      Path certificateChain, Path privateKey, Path trustBundle, ScheduledExecutorService scheduler,
      Duration pollInterval) {
    this(certificateChain, privateKey, trustBundle, scheduler, pollInterval, false);
  }

  private PemFileIdentitySource(
      Path certificateChain, Path privateKey, Path trustBundle, ScheduledExecutorService scheduler,
      Duration pollInterval, boolean ownsScheduler) {
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
    this.trustBundle = trustBundle;
    this.scheduler = scheduler;
    this.pollInterval = pollInterval;
    this.ownsScheduler = ownsScheduler;
  }

  /** Polls on its own daemon thread every {@code pollInterval}. */
  public static PemFileIdentitySource watching(
      Path certificateChain, Path privateKey, Path trustBundle, Duration pollInterval) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "outrigger-identity-pem");
      thread.setDaemon(true);
      return thread;
    });
    return new PemFileIdentitySource(certificateChain, privateKey, trustBundle, scheduler, pollInterval, true);
  }

  @Override
  public synchronized void start(Consumer<WorkloadIdentity> updates) {
    scheduler.execute(() -> poll(updates));
    polling = scheduler.scheduleWithFixedDelay(
        () -> poll(updates), pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void poll(Consumer<WorkloadIdentity> updates) {
    byte[][] contents;
    try {
      contents = new byte[][] {
        Files.readAllBytes(certificateChain), Files.readAllBytes(privateKey), Files.readAllBytes(trustBundle)};
    } catch (IOException e) {
      if (lastSeen == null || lastSeen.length > 0) {
        log.error("identity files unreadable, the previous identity (if any) keeps serving: {}", e.toString());
        lastSeen = new byte[0][];
      }
      return;
    }
    if (lastSeen != null && Arrays.deepEquals(contents, lastSeen)) {
      return;
    }
    lastSeen = contents;
    try {
      updates.accept(load(contents[0], contents[1], contents[2]));
    } catch (InvalidIdentityFiles e) {
      log.error("identity files {}, {}, {} refused, the previous identity (if any) keeps serving: {}",
          certificateChain, privateKey, trustBundle, e.getMessage());
    }
  }

  /** Parses and checks one file set. */
  static WorkloadIdentity load(byte[] chainPem, byte[] keyPem, byte[] bundlePem) throws InvalidIdentityFiles {
    List<X509Certificate> chain = certificates(chainPem, "certificate chain");
    List<X509Certificate> bundle = certificates(bundlePem, "trust bundle");
    PrivateKey key = privateKey(keyPem);
    if (!KeyPairCheck.matches(key, chain.get(0))) {
      throw new InvalidIdentityFiles("the private key does not belong to the certificate "
          + chain.get(0).getSubjectX500Principal() + " (serial " + chain.get(0).getSerialNumber().toString(16) + ")");
    }
    return new WorkloadIdentity(chain, key, bundle);
  }

  private static List<X509Certificate> certificates(byte[] pem, String what) throws InvalidIdentityFiles {
    try {
      List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem)).stream()
          .map(X509Certificate.class::cast)
          .toList();
      if (certificates.isEmpty()) {
        throw new InvalidIdentityFiles("the " + what + " holds no certificate");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new InvalidIdentityFiles("the " + what + " is not PEM certificates: " + e.getMessage());
    }
  }

  private static PrivateKey privateKey(byte[] pem) throws InvalidIdentityFiles {
    try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo pkcs8) {
        return converter.getPrivateKey(pkcs8);
      }
      if (object instanceof PEMKeyPair sec1OrPkcs1) {
        // SEC1 keys may omit the public key: convert the private part alone.
        return converter.getPrivateKey(sec1OrPkcs1.getPrivateKeyInfo());
      }
      throw new InvalidIdentityFiles("the key file holds no unencrypted private key (PKCS#8, SEC1 or PKCS#1 PEM)"
          + (object == null ? "" : ", found " + object.getClass().getSimpleName()));
    } catch (PEMException e) {
      throw new InvalidIdentityFiles("the key file is not a readable PEM key: " + e.getMessage());
    } catch (IOException e) {
      throw new InvalidIdentityFiles("the key file is not PEM: " + e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (polling != null) {
      polling.cancel(false);
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  /** A file set that cannot be the workload identity. */
  static final class InvalidIdentityFiles extends Exception {
    InvalidIdentityFiles(String message) {
      super(message);
    }
  }
}
