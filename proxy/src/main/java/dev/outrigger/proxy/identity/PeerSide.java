package dev.outrigger.proxy.identity;

import java.util.Locale;

/** Which peer a TLS context validates: downstream clients or upstream servers. */
public enum PeerSide {
  DOWNSTREAM,
  UPSTREAM;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
