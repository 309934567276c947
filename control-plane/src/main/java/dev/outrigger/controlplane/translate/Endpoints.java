package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.ServiceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The registered sidecars per service (an immutable snapshot of {@link EndpointRegistry}): the
 * workloads whose xDS stream is open or within its reconnect grace. Ordered by address then node
 * id, so translation is deterministic.
 */
public final class Endpoints {
  public static final Endpoints NONE = new Endpoints(Map.of());
  private static final Comparator<Workload> ORDER = Comparator
      .comparing((Workload w) -> w.workload().orElseThrow().address()).thenComparing(Workload::nodeId);

  private final Map<ServiceKey, List<Workload>> byService;

  private Endpoints(Map<ServiceKey, List<Workload>> byService) {
    this.byService = byService;
  }

  /** The snapshot of these workloads; those without a workload are left out. */
  public static Endpoints of(Iterable<Workload> workloads) {
    Map<ServiceKey, List<Workload>> grouped = new TreeMap<>(
        Comparator.comparing(ServiceKey::namespace).thenComparing(ServiceKey::name));
    for (Workload workload : workloads) {
      workload.workload().ifPresent(identity ->
          grouped.computeIfAbsent(identity.service(), key -> new ArrayList<>()).add(workload));
    }
    return new Endpoints(grouped.entrySet().stream().collect(Collectors.toUnmodifiableMap(
        Map.Entry::getKey, entry -> entry.getValue().stream().sorted(ORDER).toList())));
  }

  /** The registered sidecars of {@code service}, by address then node id. */
  public List<Workload> sidecars(ServiceKey service) {
    return byService.getOrDefault(service, List.of());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Endpoints && ((Endpoints) other).byService.equals(byService);
  }

  @Override
  public int hashCode() {
    return byService.hashCode();
  }
}
