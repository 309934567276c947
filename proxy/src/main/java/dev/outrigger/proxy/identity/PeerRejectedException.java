package dev.outrigger.proxy.identity;

import java.security.cert.CertificateException;

/** Thrown by the trust manager to fail a handshake; the reason is counted and logged once. */
final class PeerRejectedException extends CertificateException {
  private final RejectReason reason;
  private final String detail;

  PeerRejectedException(RejectReason reason, String detail) {
    super(reason.label() + ": " + detail);
    this.reason = reason;
    this.detail = detail;
  }

  String detail() {
    return detail;
  }

  RejectReason reason() {
    return reason;
  }
}
