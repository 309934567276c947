package dev.outrigger.controlplane.model;

/** The kinds of the mesh model, with the {@code apiVersion} each is written in. */
public enum Kind {
  MESH_CONFIG("MeshConfig", Kind.OUTRIGGER, false),
  SERVICE("Service", Kind.OUTRIGGER, true),
  HTTP_ROUTE("HTTPRoute", Kind.GATEWAY, true),
  GRPC_ROUTE("GRPCRoute", Kind.GATEWAY, true),
  AUTHORIZATION_POLICY("AuthorizationPolicy", Kind.OUTRIGGER, true);

  static final String OUTRIGGER = "outrigger.dev/v1alpha1";
  static final String GATEWAY = "gateway.networking.k8s.io/v1";

  private final String yamlName;
  private final String apiVersion;
  private final boolean namespaced;

  Kind(String yamlName, String apiVersion, boolean namespaced) {
    this.yamlName = yamlName;
    this.apiVersion = apiVersion;
    this.namespaced = namespaced;
  }

  /** As written in {@code kind:}, e.g. {@code HTTPRoute}. */
  public String yamlName() {
    return yamlName;
  }

  public String apiVersion() {
    return apiVersion;
  }

  /** False for {@code MeshConfig}, which is cluster-scoped (no {@code metadata.namespace}). */
  public boolean namespaced() {
    return namespaced;
  }

  @Override
  public String toString() {
    return yamlName;
  }
}
