package dev.outrigger.e2e;

import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.identity.CaIdentitySource;
import dev.outrigger.proxy.identity.WorkloadIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A workload without a sidecar, in the test JVM: its certificate comes from the control plane's CA
 * through the proxy's own {@link CaIdentitySource} (key made here, CSR, join token), and it calls
 * a sidecar's inbound listener directly over mTLS, one connection per request.
 */
final class CaIssuedClient implements AutoCloseable {
  private static final Duration ISSUE_TIMEOUT = Duration.ofSeconds(30);

  private final CaIdentitySource source;
  private final SSLContext context;

  private CaIssuedClient(CaIdentitySource source, WorkloadIdentity identity) throws Exception {
    this.source = source;
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("me", identity.privateKey(), new char[0],
        identity.certificateChain().toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(keys, new char[0]);
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    for (int i = 0; i < identity.trustBundle().size(); i++) {
      roots.setCertificateEntry("root" + i, identity.trustBundle().get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(roots);
    context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
  }

  /** Gets a certificate for {@code spiffeId} with the join token in {@code tokenFile}. */
  static CaIssuedClient obtain(ControlPlaneProcess controlPlane, Path tokenFile, String spiffeId) throws Exception {
    CaIdentitySource source = new CaIdentitySource(new CaIdentitySource.Settings(
        controlPlane.caAddress(), controlPlane.bundle(), tokenFile, spiffeId, Duration.ZERO), new SimpleMeterRegistry());
    AtomicReference<WorkloadIdentity> issued = new AtomicReference<>();
    source.start(issued::set);
    try {
      await("a certificate for " + spiffeId).atMost(ISSUE_TIMEOUT).until(() -> issued.get() != null);
      return new CaIssuedClient(source, issued.get());
    } catch (RuntimeException | Error e) {
      source.close();
      throw e;
    }
  }

  /**
   * Sends {@code request} (HTTP/1.1 text, or any bytes) on a new mTLS connection to 127.0.0.1:{@code
   * port} and reads until the server closes: the whole response, or "" when it closed without one.
   * A failed handshake throws.
   */
  String exchange(int port, String request) throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        socket.getInputStream().transferTo(response);
      } catch (IOException closedHard) {
        // closed or reset by a refusal: what was read, if anything, is the answer
      }
      return response.toString(StandardCharsets.US_ASCII);
    }
  }

  @Override
  public void close() {
    source.close();
  }
}
