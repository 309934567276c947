package dev.outrigger.proxy.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the one peer refusal that never reaches the trust manager: a client that sends no
 * certificate where one is required, which the TLS library refuses by itself. Refusals by the
 * trust manager were counted there; other handshake failures (no shared protocol or cipher) are
 * only in {@code outrigger_tls_handshakes_total}.
 */
public final class HandshakeFailures {
  private static final Logger log = LoggerFactory.getLogger(HandshakeFailures.class);
  /** BoringSSL's and the JDK's words for "the client sent no certificate". */
  private static final String[] NO_CERTIFICATE = {
    "PEER_DID_NOT_RETURN_A_CERTIFICATE", "CERTIFICATE_REQUIRED", "Empty client certificate chain"};

  private final IdentityMetrics metrics;

  HandshakeFailures(IdentityMetrics metrics) {
    this.metrics = metrics;
  }

  /** A downstream handshake failed with {@code cause}; {@code peer} names the client in the log. */
  public void downstreamFailed(String peer, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof PeerRejectedException) {
        return;
      }
    }
    String message = String.valueOf(cause.getMessage());
    for (String marker : NO_CERTIFICATE) {
      if (message.contains(marker)) {
        metrics.rejected(PeerSide.DOWNSTREAM, RejectReason.NO_CERTIFICATE);
        log.warn("TLS peer rejected: downstream peer {} reason {}: a client certificate is required",
            peer, RejectReason.NO_CERTIFICATE.label());
        return;
      }
    }
  }
}
