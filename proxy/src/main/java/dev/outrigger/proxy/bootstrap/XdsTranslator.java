package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Message;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.bootstrap.Translation.Named;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resources from an ADS stream, together with the bootstrap's static part → one {@link
 * ProxyConfig}, through the same subset check and translators as a bootstrap. Problems are
 * reported at a path that starts with the resource: {@code listener[ingress].filter_chains[0]...},
 * {@code route_configuration[r]...}, {@code cluster[c]...}, {@code cluster_load_assignment[c]...}.
 *
 * <p>Warming, as Envoy: an EDS cluster is complete once its assignment arrived, a listener once
 * the route configurations it names through {@code rds} arrived, and a route or TCP proxy once the
 * clusters it names arrived. A config is handed out only when nothing is awaited.
 */
public final class XdsTranslator {
  private final Bootstrap bootstrap;
  private final ProxyConfig staticConfig;

  XdsTranslator(Bootstrap bootstrap, ProxyConfig staticConfig) {
    this.bootstrap = bootstrap;
    this.staticConfig = staticConfig;
  }

  /**
   * @param errors every problem, {@code path: message}; none means the resources are acceptable
   * @param awaited what a complete config still needs, e.g. {@code route_configuration "r"}
   * @param config present when there are no errors and nothing is awaited
   */
  public record Result(List<ConfigError> errors, Set<String> awaited, Optional<ProxyConfig> config) {}

  public Result translate(XdsResources resources) {
    Problems problems = new Problems();
    SubsetCheck subset = new SubsetCheck(Subset.SUPPORTED, problems);
    Map<String, Named<Listener>> listeners = prune(resources.listeners(), "listener", subset);
    Map<String, Named<RouteConfiguration>> routes = prune(resources.routes(), "route_configuration", subset);
    Map<String, Named<Cluster>> clusters = prune(resources.clusters(), "cluster", subset);
    Map<String, Named<ClusterLoadAssignment>> assignments =
        prune(resources.assignments(), "cluster_load_assignment", subset);
    problems.nextStage();

    Translation translation = new Translation(problems);
    FieldPath staticPath = FieldPath.ROOT.field("static_resources");
    translation.staticSecrets(StaticSecrets.of(
        bootstrap.getStaticResources().getSecretsList(), staticPath.field("secrets"), translation));
    translation.routeConfigurations(routes);
    Set<String> awaited = new TreeSet<>();

    List<Cluster> allClusters = new ArrayList<>(bootstrap.getStaticResources().getClustersList());
    List<FieldPath> clusterPaths = indexed(staticPath.field("clusters"), allClusters.size());
    for (Named<Cluster> cluster : clusters.values()) {
      allClusters.add(withEndpoints(cluster, assignments, translation, awaited));
      clusterPaths.add(cluster.path());
    }
    Map<String, ClusterConfig> clusterConfigs =
        new ClusterTranslator(translation).translate(allClusters, clusterPaths::get);

    List<Listener> allListeners = new ArrayList<>(bootstrap.getStaticResources().getListenersList());
    List<FieldPath> listenerPaths = indexed(staticPath.field("listeners"), allListeners.size());
    for (Named<Listener> listener : listeners.values()) {
      allListeners.add(listener.resource());
      listenerPaths.add(listener.path());
    }
    List<ListenerConfig> listenerConfigs =
        new ListenerTranslator(translation).translate(allListeners, listenerPaths::get);

    translation.awaitedRoutes().forEach(name -> awaited.add("route_configuration " + Translation.quote(name)));
    Set<String> declared = new TreeSet<>();
    allClusters.forEach(cluster -> declared.add(cluster.getName()));
    translation.unknownClusters(declared).forEach(name -> awaited.add("cluster " + Translation.quote(name)));

    List<ConfigError> errors = problems.all();
    Optional<ProxyConfig> config = errors.isEmpty() && awaited.isEmpty()
        ? Optional.of(new ProxyConfig(staticConfig.node(), staticConfig.adminAddress(), listenerConfigs, clusterConfigs))
        : Optional.empty();
    return new Result(errors, awaited, config);
  }

  /** Each resource inside the subset, in name order (so problems come in the same order every time). */
  private static <T extends Message> Map<String, Named<T>> prune(Map<String, T> resources, String type, SubsetCheck subset) {
    Map<String, Named<T>> pruned = new TreeMap<>();
    resources.forEach((name, resource) -> {
      FieldPath path = FieldPath.ROOT.field(type).key(name);
      pruned.put(name, new Named<>(subset.prune(resource, path), path));
    });
    return pruned;
  }

  /**
   * An EDS cluster becomes the STATIC cluster of its assignment's endpoints (empty while the
   * assignment is awaited; the config is not complete then anyway).
   */
  private static Cluster withEndpoints(
      Named<Cluster> named, Map<String, Named<ClusterLoadAssignment>> assignments, Translation translation,
      Set<String> awaited) {
    Cluster cluster = named.resource();
    if (cluster.getType() != Cluster.DiscoveryType.EDS) {
      if (cluster.hasEdsClusterConfig()) {
        translation.error(named.path().field("eds_cluster_config"), "only for clusters of type EDS");
      }
      return cluster;
    }
    FieldPath edsPath = named.path().field("eds_cluster_config");
    if (!cluster.getEdsClusterConfig().getEdsConfig().hasAds()) {
      translation.error(edsPath.field("eds_config").field("ads"), "required: {ads: {}} (endpoints come over the ADS stream)");
    }
    if (cluster.hasLoadAssignment()) {
      translation.error(named.path().field("load_assignment"), "an EDS cluster's endpoints come from EDS");
    }
    String service = edsServiceName(cluster);
    Named<ClusterLoadAssignment> assignment = assignments.get(service);
    if (assignment == null) {
      awaited.add("cluster_load_assignment " + Translation.quote(service));
    }
    Cluster.Builder converted = cluster.toBuilder().setType(Cluster.DiscoveryType.STATIC).clearEdsClusterConfig();
    if (assignment != null) {
      converted.setLoadAssignment(assignment.resource());
    }
    return converted.build();
  }

  /** The ClusterLoadAssignment an EDS cluster takes: {@code service_name}, else the cluster's name. */
  public static String edsServiceName(Cluster cluster) {
    String service = cluster.getEdsClusterConfig().getServiceName();
    return service.isEmpty() ? cluster.getName() : service;
  }

  private static List<FieldPath> indexed(FieldPath path, int count) {
    List<FieldPath> paths = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      paths.add(path.index(i));
    }
    return paths;
  }
}
