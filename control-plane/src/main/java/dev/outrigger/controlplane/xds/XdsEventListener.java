package dev.outrigger.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * What happens on the ADS streams, for auditing (CloudEvents). Called on the stream's thread
 * while it holds the stream: return quickly, hand slow work off.
 */
public interface XdsEventListener {
  XdsEventListener NONE = new XdsEventListener() {};

  /** A stream opened: its first request named {@code node}. */
  default void connected(Node node) {}

  /** The stream of {@code nodeId} ended, by the proxy or by an error. */
  default void disconnected(String nodeId) {}

  /** The proxy applied {@code version} of {@code type}. */
  default void acked(String nodeId, ResourceType type, String version) {}

  /** The proxy rejected {@code version} of {@code type}, keeping what it had, for {@code message}. */
  default void nacked(String nodeId, ResourceType type, String version, String message) {}

  /** Tells this listener, then {@code next}. */
  default XdsEventListener andThen(XdsEventListener next) {
    XdsEventListener first = this;
    return new XdsEventListener() {
      @Override
      public void connected(Node node) {
        first.connected(node);
        next.connected(node);
      }

      @Override
      public void disconnected(String nodeId) {
        first.disconnected(nodeId);
        next.disconnected(nodeId);
      }

      @Override
      public void acked(String nodeId, ResourceType type, String version) {
        first.acked(nodeId, type, version);
        next.acked(nodeId, type, version);
      }

      @Override
      public void nacked(String nodeId, ResourceType type, String version, String message) {
        first.nacked(nodeId, type, version, message);
        next.nacked(nodeId, type, version, message);
      }
    };
  }
}
