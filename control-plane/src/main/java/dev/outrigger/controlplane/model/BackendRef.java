package dev.outrigger.controlplane.model;

/**
 * A {@code backendRefs} entry: a port of a Service and its weight among the rule's backends.
 * Group and kind are checked at load ({@code ""}/{@code Service}); the namespace is resolved.
 *
 * @param weight proportion of the rule's requests (0 takes none); Gateway API's default is 1
 */
public record BackendRef(String namespace, String name, int port, int weight) {
  public ServiceKey service() {
    return new ServiceKey(namespace, name);
  }
}
