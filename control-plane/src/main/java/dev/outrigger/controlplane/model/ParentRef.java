package dev.outrigger.controlplane.model;

import java.util.OptionalInt;

/**
 * A route's {@code parentRefs} entry, mesh style (GAMMA): the Service whose traffic the route
 * governs. Group and kind are checked at load ({@code ""}/{@code Service}); the namespace is
 * resolved (the route's own when not written).
 *
 * @param port when present, only traffic to this port of the service
 */
public record ParentRef(String namespace, String name, OptionalInt port) {
  public ServiceKey service() {
    return new ServiceKey(namespace, name);
  }
}
