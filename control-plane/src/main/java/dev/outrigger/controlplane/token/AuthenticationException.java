package dev.outrigger.controlplane.token;

/**
 * A credential that does not authenticate: missing, malformed, unknown or expired.
 *
 * @see #tokenId() the token's public id when the credential had one, for the audit log
 */
public final class AuthenticationException extends Exception {
  private final String tokenId;

  AuthenticationException(String message, String tokenId) {
    super(message);
    this.tokenId = tokenId;
  }

  /** The public id part of the presented token, or null; never the secret. */
  public String tokenId() {
    return tokenId;
  }
}
