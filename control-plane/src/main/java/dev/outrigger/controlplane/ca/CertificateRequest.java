package dev.outrigger.controlplane.ca;

import io.spiffe.spiffeid.SpiffeId;
import java.security.PublicKey;

/** A CSR that passed every check: the SPIFFE ID it asks for and the key to certify. */
public record CertificateRequest(SpiffeId spiffeId, PublicKey publicKey) {}
