package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.http.filter.RouteFilters;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/** Picks the cluster of a forwarding route, with the header mutations that pick brings. */
@FunctionalInterface
interface ClusterChoice {

  Target choose(RequestView request);

  /**
   * @param cluster empty when {@code cluster_header} is absent or empty
   * @param headerMutations the weighted cluster's own, then the route's levels
   * @param filters the HTTP filters with the weighted cluster's, route's or virtual host's overrides
   */
  record Target(Optional<String> cluster, List<HeaderMutations> headerMutations, RouteFilters filters) {}

  /**
   * @param routeLevels the route's header mutations, most specific first
   * @param draw returns a number uniform in {@code [0, bound)}
   */
  static ClusterChoice compile(
      RouteAction.Forward action, List<HeaderMutations> routeLevels, FilterLevels filters, IntUnaryOperator draw) {
    if (action.clusterHeader().isPresent()) {
      return byHeader(AsciiString.cached(action.clusterHeader().get()), routeLevels, filters.resolve());
    }
    return weighted(action.clusters(), routeLevels, filters, draw);
  }

  /** Envoy reads only the first value of the header: it is untrusted input. */
  private static ClusterChoice byHeader(
      AsciiString header, List<HeaderMutations> routeLevels, RouteFilters filters) {
    Target none = new Target(Optional.empty(), routeLevels, filters);
    return request -> {
      String cluster = request.headers.get(header);
      return cluster == null || cluster.isEmpty()
          ? none
          : new Target(Optional.of(cluster), routeLevels, filters);
    };
  }

  /** Weights add up as given; Envoy's deprecated {@code total_weight} is not consulted. */
  private static ClusterChoice weighted(
      WeightedClusters clusters, List<HeaderMutations> routeLevels, FilterLevels filters, IntUnaryOperator draw) {
    List<WeightedClusters.Entry> entries = clusters.entries();
    Target[] targets = new Target[entries.size()];
    int[] ends = new int[entries.size()];
    int end = 0;
    for (int i = 0; i < targets.length; i++) {
      WeightedClusters.Entry entry = entries.get(i);
      List<HeaderMutations> levels = new ArrayList<>();
      levels.add(entry.headers());
      levels.addAll(routeLevels);
      targets[i] =
          new Target(Optional.of(entry.cluster()), MutationLevels.of(levels), filters.resolveWith(entry.perFilterConfig()));
      end += entry.weight();
      ends[i] = end;
    }
    if (end <= 0) {
      throw new IllegalArgumentException("a route needs clusters whose weights add up above zero");
    }
    if (targets.length == 1) {
      Target only = targets[0];
      return request -> only;
    }
    int total = end;
    return request -> {
      int drawn = draw.applyAsInt(total);
      for (int i = 0; i < ends.length - 1; i++) {
        if (drawn < ends[i]) {
          return targets[i];
        }
      }
      return targets[ends.length - 1];
    };
  }
}
