package dev.outrigger.controlplane.admin;

import dev.outrigger.api.admin.v1.ResourceRef;
import dev.outrigger.controlplane.model.Kind;
import dev.outrigger.controlplane.model.ResourceId;
import io.grpc.Status;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The names the admin API takes for kinds, and the mapping between its references and resource ids. */
final class ResourceKinds {
  /** What {@code get KIND} accepts: the groups operators think in, plural and singular. */
  private static final Map<String, Set<Kind>> GROUPS = new LinkedHashMap<>();

  static {
    group(EnumSet.of(Kind.SERVICE), "services", "service", "svc");
    group(EnumSet.of(Kind.HTTP_ROUTE, Kind.GRPC_ROUTE), "routes", "route");
    group(EnumSet.of(Kind.HTTP_ROUTE), "httproutes", "httproute");
    group(EnumSet.of(Kind.GRPC_ROUTE), "grpcroutes", "grpcroute");
    group(EnumSet.of(Kind.AUTHORIZATION_POLICY), "policies", "policy", "authorizationpolicies",
        "authorizationpolicy");
    group(EnumSet.of(Kind.MESH_CONFIG), "meshconfig", "meshconfigs");
    group(EnumSet.allOf(Kind.class), "", "all");
  }

  private ResourceKinds() {}

  private static void group(Set<Kind> kinds, String... names) {
    Arrays.stream(names).forEach(name -> GROUPS.put(name, kinds));
  }

  /** The kinds a list request names; INVALID_ARGUMENT for an unknown name. */
  static Set<Kind> group(String name) {
    Set<Kind> kinds = GROUPS.get(name.toLowerCase(Locale.ROOT));
    if (kinds == null) {
      throw Status.INVALID_ARGUMENT.withDescription("unknown kind \"" + name
          + "\": expected services, routes, httproutes, grpcroutes, policies or meshconfig")
          .asRuntimeException();
    }
    return kinds;
  }

  /** The kind written as in YAML ({@code HTTPRoute}), ignoring case. */
  static Optional<Kind> kind(String yamlName) {
    return Arrays.stream(Kind.values()).filter(k -> k.yamlName().equalsIgnoreCase(yamlName)).findFirst();
  }

  /** The id as the resource parser forms it: namespace "default" when unwritten, "" when cluster-scoped. */
  static ResourceId id(Kind kind, String namespace, String name) {
    return new ResourceId(kind, kind.namespaced() ? (namespace.isEmpty() ? "default" : namespace) : "", name);
  }

  static ResourceId id(ResourceRef ref) {
    Kind kind = kind(ref.getKind()).orElseThrow(() -> Status.INVALID_ARGUMENT
        .withDescription("unknown kind \"" + ref.getKind() + "\" in " + ref.getName()).asRuntimeException());
    return id(kind, ref.getNamespace(), ref.getName());
  }

  static ResourceRef ref(ResourceId id) {
    return ResourceRef.newBuilder().setKind(id.kind().yamlName()).setNamespace(id.namespace())
        .setName(id.name()).build();
  }
}
