package dev.outrigger.controlplane.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.XdsEventListener;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * {@code dev.outrigger.proxy.connected|disconnected} and {@code dev.outrigger.config.acked|nacked}
 * from the ADS streams. Subject: the node id. Called on stream threads; publishing only enqueues.
 */
public final class XdsEvents implements XdsEventListener {
  static final String CONNECTED = "dev.outrigger.proxy.connected";
  static final String DISCONNECTED = "dev.outrigger.proxy.disconnected";
  static final String ACKED = "dev.outrigger.config.acked";
  static final String NACKED = "dev.outrigger.config.nacked";

  private final Emitter emitter;

  public XdsEvents(Emitter emitter) {
    this.emitter = emitter;
  }

  @Override
  public void connected(Node node) {
    ObjectNode data = node(node.getId());
    putIfSet(data, "cluster", node.getCluster());
    putIfSet(data, "userAgent", (node.getUserAgentName() + " " + node.getUserAgentVersion()).trim());
    emitter.emit(CONNECTED, node.getId(), data);
  }

  @Override
  public void disconnected(String nodeId) {
    emitter.emit(DISCONNECTED, nodeId, node(nodeId));
  }

  @Override
  public void acked(String nodeId, ResourceType type, String version) {
    emitter.emit(ACKED, nodeId, config(nodeId, type, version));
  }

  @Override
  public void nacked(String nodeId, ResourceType type, String version, String message) {
    emitter.emit(NACKED, nodeId, config(nodeId, type, version).put("message", message));
  }

  private static ObjectNode node(String nodeId) {
    return JsonNodeFactory.instance.objectNode().put("node", nodeId);
  }

  private static ObjectNode config(String nodeId, ResourceType type, String version) {
    return node(nodeId).put("typeUrl", type.typeUrl()).put("version", version);
  }

  private static void putIfSet(ObjectNode data, String field, String value) {
    if (!value.isEmpty()) {
      data.put(field, value);
    }
  }
}
