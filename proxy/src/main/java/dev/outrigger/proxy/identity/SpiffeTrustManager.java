package dev.outrigger.proxy.identity;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the peer of a TLS context with {@link PeerVerifier} against the bundle current at the
 * handshake, so a new bundle needs no new context. Each refusal is logged with its reason and the
 * peer's address and counted by reason. Sends no CA names in CertificateRequest (they would be the
 * roots at build time, stale after a rotation): clients offer their certificate regardless.
 */
final class SpiffeTrustManager extends X509ExtendedTrustManager {
  private static final Logger log = LoggerFactory.getLogger(SpiffeTrustManager.class);
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private final PeerVerifier verifier;
  private final Supplier<TrustBundle> bundle;
  private final PeerSide side;
  private final IdentityMetrics metrics;

  SpiffeTrustManager(PeerVerifier verifier, Supplier<TrustBundle> bundle, PeerSide side, IdentityMetrics metrics) {
    this.verifier = verifier;
    this.bundle = bundle;
    this.side = side;
    this.metrics = metrics;
  }

  private void check(X509Certificate[] chain, String peer) throws CertificateException {
    try {
      verifier.verify(chain, bundle.get());
      metrics.validated(side);
    } catch (PeerRejectedException e) {
      metrics.rejected(side, e.reason());
      log.warn("TLS peer rejected: {} peer {} reason {}: {}", side.label(), peer, e.reason().label(), e.detail());
      throw e;
    }
  }

  private static String peer(SSLEngine engine) {
    return engine == null || engine.getPeerHost() == null ? "unknown" : engine.getPeerHost() + ":" + engine.getPeerPort();
  }

  private static String peer(Socket socket) {
    return socket == null ? "unknown" : String.valueOf(socket.getRemoteSocketAddress());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, peer(engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, peer(engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, peer(socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, peer(socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, "unknown");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, "unknown");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
