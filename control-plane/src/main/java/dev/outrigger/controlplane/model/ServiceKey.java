package dev.outrigger.controlplane.model;

/** A Service by namespace and name, as routes and policies refer to it. */
public record ServiceKey(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
