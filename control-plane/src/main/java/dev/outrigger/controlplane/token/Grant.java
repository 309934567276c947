package dev.outrigger.controlplane.token;

import io.spiffe.spiffeid.SpiffeId;
import java.time.Instant;

/** What an authenticated credential allows: exactly one SPIFFE ID, until it expires. */
public record Grant(String tokenId, SpiffeId spiffeId, Instant expiresAt) {}
