package dev.outrigger.controlplane.model;

/**
 * One mesh resource as written in YAML ({@code apiVersion}, {@code kind}, {@code metadata},
 * {@code spec}), validated and immutable. The permitted kinds are the whole model; see
 * docs/mesh-model.md for each kind's fields.
 */
public sealed interface Resource
    permits MeshConfig, Service, HttpRoute, GrpcRoute, AuthorizationPolicy {
  Metadata metadata();

  /** Kind, namespace and name: unique in a {@link MeshModel}. */
  default ResourceId id() {
    return new ResourceId(kind(), metadata().namespace(), metadata().name());
  }

  Kind kind();
}
