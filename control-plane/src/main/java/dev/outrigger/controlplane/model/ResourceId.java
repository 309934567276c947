package dev.outrigger.controlplane.model;

/** Identifies a resource: {@code HTTPRoute shop/cart}; {@code namespace} is "" for cluster-scoped kinds. */
public record ResourceId(Kind kind, String namespace, String name) {
  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
