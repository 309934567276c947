package dev.outrigger.proxy.config;

/**
 * The connection manager's {@code forward_client_cert_details} and
 * {@code set_current_client_cert_details}: what happens to {@code x-forwarded-client-cert}.
 * The details say which parts of the client certificate {@link Mode#APPEND_FORWARD} and
 * {@link Mode#SANITIZE_SET} write (Envoy always writes {@code By} and {@code Hash}).
 */
public record ClientCertForwarding(
    Mode mode, boolean subject, boolean cert, boolean chain, boolean uri, boolean dns) {

  /** Envoy's default: the header never reaches the next hop. */
  public static final ClientCertForwarding SANITIZE = new ClientCertForwarding(Mode.SANITIZE, false, false, false, false, false);

  public enum Mode {
    /** Remove the header. */
    SANITIZE,
    /** On mTLS, forward the header as received; otherwise remove it. */
    FORWARD_ONLY,
    /** On mTLS, append this hop's element to the received header; otherwise remove it. */
    APPEND_FORWARD,
    /** On mTLS, replace the header with this hop's element; otherwise remove it. */
    SANITIZE_SET,
    /** Forward the header as received, mTLS or not. */
    ALWAYS_FORWARD_ONLY
  }
}
