package dev.outrigger.proxy.xds;

import java.time.Instant;
import java.util.Optional;

/**
 * What the client knows of one resource type on its stream.
 *
 * @param receivedVersion the version of the last response (SotW {@code version_info}, delta
 *     {@code system_version_info}), accepted or not
 * @param receivedNonce that response's nonce
 * @param ackedVersion the version of the last accepted response: what the proxy runs
 * @param lastNack the last rejection, kept after later accepted responses
 */
public record TypeStatus(
    String receivedVersion, String receivedNonce, String ackedVersion, Optional<Nack> lastNack) {

  static final TypeStatus NONE = new TypeStatus("", "", "", Optional.empty());

  /**
   * A rejected response.
   *
   * @param version the response's version
   * @param message what was wrong, one {@code path: message} line per problem
   * @param at when the client rejected it
   */
  public record Nack(String version, String message, Instant at) {}

  TypeStatus received(String version, String nonce) {
    return new TypeStatus(version, nonce, ackedVersion, lastNack);
  }

  TypeStatus acked() {
    return new TypeStatus(receivedVersion, receivedNonce, receivedVersion, lastNack);
  }

  TypeStatus nacked(String message, Instant at) {
    return new TypeStatus(receivedVersion, receivedNonce, ackedVersion,
        Optional.of(new Nack(receivedVersion, message, at)));
  }
}
