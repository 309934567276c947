package dev.outrigger.proxy.xds;

import java.util.Optional;

/**
 * What the client knows of one resource type on its stream.
 *
 * @param receivedVersion the version of the last response (SotW {@code version_info}, delta
 *     {@code system_version_info}), accepted or not
 * @param receivedNonce that response's nonce
 * @param ackedVersion the version of the last accepted response: what the proxy runs
 * @param lastNack the message of the last rejection, {@code path: message} lines
 */
public record TypeStatus(
    String receivedVersion, String receivedNonce, String ackedVersion, Optional<String> lastNack) {

  static final TypeStatus NONE = new TypeStatus("", "", "", Optional.empty());

  TypeStatus received(String version, String nonce) {
    return new TypeStatus(version, nonce, ackedVersion, lastNack);
  }

  TypeStatus acked() {
    return new TypeStatus(receivedVersion, receivedNonce, receivedVersion, lastNack);
  }

  TypeStatus nacked(String message) {
    return new TypeStatus(receivedVersion, receivedNonce, ackedVersion, Optional.of(message));
  }
}
