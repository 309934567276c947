package dev.outrigger.proxy.identity;

import java.util.Locale;

/** Why a peer's certificate was refused; the label of {@code outrigger_identity_peer_rejected_total}. */
public enum RejectReason {
  NO_CERTIFICATE,
  NO_URI_SAN,
  MULTIPLE_URI_SANS,
  INVALID_SPIFFE_ID,
  WRONG_TRUST_DOMAIN,
  LEAF_IS_CA,
  LEAF_KEY_USAGE,
  EXPIRED,
  NOT_YET_VALID,
  UNTRUSTED_CHAIN,
  SAN_NOT_MATCHED,
  NO_TRUST_BUNDLE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
