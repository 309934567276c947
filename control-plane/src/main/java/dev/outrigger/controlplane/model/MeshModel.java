package dev.outrigger.controlplane.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An immutable snapshot of the whole mesh: every resource, indexed the ways the translator asks.
 * Built as a whole from resources that passed validation ({@link ModelValidator}); a new
 * configuration is a new snapshot, never an edit of this one.
 */
public final class MeshModel {
  private static final Comparator<ResourceId> ORDER = Comparator.comparing(ResourceId::kind)
      .thenComparing(ResourceId::namespace).thenComparing(ResourceId::name);

  private final Map<ResourceId, Resource> resources;
  private final MeshConfig meshConfig;
  private final Map<ServiceKey, Service> services;
  private final Map<ServiceKey, List<HttpRoute>> httpRoutes;
  private final Map<ServiceKey, List<GrpcRoute>> grpcRoutes;
  private final List<AuthorizationPolicy> policies;

  private MeshModel(Collection<? extends Resource> all) {
    Map<ResourceId, Resource> byId = new LinkedHashMap<>();
    all.stream().sorted(Comparator.comparing(Resource::id, ORDER))
        .forEach(resource -> byId.put(resource.id(), resource));
    resources = Map.copyOf(byId);
    List<Resource> ordered = List.copyOf(byId.values());
    meshConfig = only(ordered, MeshConfig.class).stream().findFirst().orElse(MeshConfig.defaults());
    services = only(ordered, Service.class).stream().collect(Collectors.toUnmodifiableMap(
        service -> new ServiceKey(service.metadata().namespace(), service.metadata().name()),
        Function.identity()));
    httpRoutes = byParent(only(ordered, HttpRoute.class), HttpRoute::parentRefs);
    grpcRoutes = byParent(only(ordered, GrpcRoute.class), GrpcRoute::parentRefs);
    policies = only(ordered, AuthorizationPolicy.class);
  }

  /** The snapshot of these resources; they must be valid together (ids unique, references resolved). */
  public static MeshModel of(Collection<? extends Resource> resources) {
    return new MeshModel(resources);
  }

  public static MeshModel empty() {
    return new MeshModel(List.of());
  }

  /** The MeshConfig resource, or {@link MeshConfig#defaults()} when there is none. */
  public MeshConfig meshConfig() {
    return meshConfig;
  }

  /** Every resource, ordered by kind, namespace, name. */
  public List<Resource> resources() {
    return resources.values().stream().sorted(Comparator.comparing(Resource::id, ORDER)).toList();
  }

  public Optional<Resource> get(ResourceId id) {
    return Optional.ofNullable(resources.get(id));
  }

  public Map<ServiceKey, Service> services() {
    return services;
  }

  public Optional<Service> service(ServiceKey key) {
    return Optional.ofNullable(services.get(key));
  }

  /** HTTPRoutes with a parentRef to this service, by namespace then name. */
  public List<HttpRoute> httpRoutes(ServiceKey parent) {
    return httpRoutes.getOrDefault(parent, List.of());
  }

  /** GRPCRoutes with a parentRef to this service, by namespace then name. */
  public List<GrpcRoute> grpcRoutes(ServiceKey parent) {
    return grpcRoutes.getOrDefault(parent, List.of());
  }

  /** Every AuthorizationPolicy, by namespace then name; {@link EffectivePolicy} picks a service's. */
  public List<AuthorizationPolicy> authorizationPolicies() {
    return policies;
  }

  private static <T extends Resource> List<T> only(List<Resource> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends Resource> Map<ServiceKey, List<T>> byParent(List<T> routes,
      Function<T, List<ParentRef>> parents) {
    Map<ServiceKey, List<T>> index = new LinkedHashMap<>();
    for (T route : routes) {
      parents.apply(route).stream().map(ParentRef::service).distinct()
          .forEach(parent -> index.computeIfAbsent(parent, key -> new ArrayList<>()).add(route));
    }
    index.replaceAll((key, list) -> List.copyOf(list));
    return Map.copyOf(index);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MeshModel && ((MeshModel) other).resources.equals(resources);
  }

  @Override
  public int hashCode() {
    return resources.hashCode();
  }

  @Override
  public String toString() {
    return "MeshModel" + resources().stream().map(Resource::id).toList();
  }
}
