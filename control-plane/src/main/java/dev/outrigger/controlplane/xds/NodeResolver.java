package dev.outrigger.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Produces the resources of a proxy that connects while the cache holds nothing for its node id:
 * the hook through which the translator (model, proxy) → resources runs on connect. The node is
 * the one of the stream's first request (id, cluster, metadata, locality).
 */
@FunctionalInterface
public interface NodeResolver {
  NodeResolver NOTHING = node -> Resources.EMPTY;

  Resources resolve(Node node);
}
