package dev.outrigger.proxy.identity;

import dev.outrigger.proxy.runtime.ConnectionContext;

/** The downstream peer's SPIFFE ID as the access logs print it ({@code %DOWNSTREAM_PEER_URI_SAN%}). */
public final class PeerIdentity {
  private PeerIdentity() {}

  /** The SPIFFE ID of the connection's validated client certificate, or "" without one. */
  public static String of(ConnectionContext context) {
    return context.peerCertificate().flatMap(SpiffeId::of).map(SpiffeId::toString).orElse("");
  }
}
