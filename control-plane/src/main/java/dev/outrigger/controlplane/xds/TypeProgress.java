package dev.outrigger.controlplane.xds;

import dev.outrigger.controlplane.xds.ProxyStatus.Nack;
import dev.outrigger.controlplane.xds.ProxyStatus.TypeStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per stream and type: the responses sent and not yet answered (nonce → version), the latest
 * sent, the latest accepted, the latest rejected. Guarded by the stream's lock.
 */
final class TypeProgress {
  private final Map<String, String> awaiting = new LinkedHashMap<>();
  private String sentVersion;
  private String sentNonce;
  private Instant sentAt;
  private String ackedVersion;
  private Nack lastNack;
  private boolean rejected;

  /**
   * Records a response sent. {@code supersedes}: state of the world, where only the latest nonce
   * counts and earlier ones become stale.
   */
  void sent(String nonce, String version, Instant at, boolean supersedes) {
    if (supersedes) {
      awaiting.clear();
    }
    awaiting.put(nonce, version);
    sentNonce = nonce;
    sentVersion = version;
    sentAt = at;
  }

  boolean nothingSent() {
    return sentNonce == null;
  }

  String sentVersion() {
    return sentVersion;
  }

  String sentNonce() {
    return sentNonce;
  }

  /** True if {@code nonce} names a response still waiting for its answer. */
  boolean awaits(String nonce) {
    return awaiting.containsKey(nonce);
  }

  /** The proxy accepted the response {@code nonce}; returns its version. */
  String ack(String nonce) {
    String version = awaiting.remove(nonce);
    ackedVersion = version;
    rejected = false;
    return version;
  }

  /** The proxy rejected the response {@code nonce}; returns the rejection. */
  Nack nack(String nonce, String message, Instant at) {
    String version = awaiting.remove(nonce);
    lastNack = new Nack(nonce, version, message, at);
    rejected = true;
    return lastNack;
  }

  /** Every response answered, the latest one with an ACK. */
  boolean settled() {
    return awaiting.isEmpty() && !rejected;
  }

  TypeStatus status() {
    return new TypeStatus(sentVersion, sentNonce, sentAt, ackedVersion, lastNack);
  }
}
