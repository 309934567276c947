package dev.outrigger.controlplane.ca;

/** A CSR the CA will not sign; the message says why, for the caller and the audit log. */
public final class CsrRejectedException extends Exception {
  CsrRejectedException(String message) {
    super(message);
  }
}
