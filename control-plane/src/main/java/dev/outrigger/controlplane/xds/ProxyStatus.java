package dev.outrigger.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import java.time.Instant;
import java.util.Map;

/**
 * One connected ADS stream as the server sees it: the node, the protocol variant, since when, and
 * per subscribed type what was sent and what the proxy made of it.
 */
public record ProxyStatus(
    Node node, Protocol protocol, Instant connectedSince, Map<ResourceType, TypeStatus> types) {

  public String nodeId() {
    return node.getId();
  }

  /** True when the proxy has accepted the latest response of every type it subscribed to. */
  public boolean inSync() {
    return types.values().stream().allMatch(TypeStatus::inSync);
  }

  public enum Protocol { STATE_OF_THE_WORLD, DELTA }

  /**
   * @param sentVersion version of the latest response (SotW: its version_info; delta: the
   *     system_version_info, a hash of every resource version the proxy holds after it)
   * @param sentNonce nonce of the latest response
   * @param ackedVersion latest version the proxy accepted; null before its first ACK
   * @param lastNack the latest rejection, null if none
   */
  public record TypeStatus(
      String sentVersion, String sentNonce, Instant sentAt, String ackedVersion, Nack lastNack) {
    public boolean inSync() {
      return sentVersion != null && sentVersion.equals(ackedVersion);
    }
  }

  /** A rejected response: its nonce and version, the proxy's error_detail message, and when. */
  public record Nack(String nonce, String version, String message, Instant at) {}
}
