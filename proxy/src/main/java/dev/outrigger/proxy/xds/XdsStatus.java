package dev.outrigger.proxy.xds;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The xDS client's state for {@code /config_dump} and operators.
 *
 * @param controlPlane {@code host:port} of the control plane the client is connected or
 *     connecting to
 * @param connected a stream to the control plane is open and has delivered a response
 * @param types per resource type: received, accepted and rejected versions
 * @param appliedVersion the version last handed to the sink; empty before the first config
 * @param awaited what the accepted resources still need before they make a complete config, e.g.
 *     {@code cluster_load_assignment "backend"}; empty when the sink has the latest
 */
public record XdsStatus(
    String controlPlane,
    boolean connected,
    Map<XdsType, TypeStatus> types,
    Optional<String> appliedVersion,
    Set<String> awaited) {

  public XdsStatus {
    types = Map.copyOf(types);
    awaited = Set.copyOf(awaited);
  }
}
