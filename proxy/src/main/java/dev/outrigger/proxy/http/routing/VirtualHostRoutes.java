package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.http.filter.HttpFilterChain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** A virtual host's routes, compiled: the first route that matches decides. */
final class VirtualHostRoutes {
  private final RouteEntry[] routes;
  private final CandidateIndex index;

  VirtualHostRoutes(
      VirtualHostConfig config, HeaderMutations tableHeaders, HttpFilterChain filters, IntUnaryOperator draw) {
    List<RouteEntry> entries = new ArrayList<>(config.routes().size());
    for (RouteConfig route : config.routes()) {
      List<HeaderMutations> levels =
          MutationLevels.of(Arrays.asList(route.headers(), config.headers(), tableHeaders));
      FilterLevels filterLevels =
          new FilterLevels(filters, List.of(route.perFilterConfig(), config.perFilterConfig()));
      Outcome outcome = Outcome.compile(route.name(), config, route.action(), levels, filterLevels, draw);
      entries.add(new RouteEntry(route.match(), outcome));
    }
    this.routes = entries.toArray(RouteEntry[]::new);
    this.index = new CandidateIndex(entries);
  }

  RouteDecision route(RequestView request) {
    for (int candidate : index.candidates(request)) {
      RouteDecision decision = routes[candidate].decide(request);
      if (decision != null) {
        return decision;
      }
    }
    return RouteDecision.NoRoute.INSTANCE;
  }
}
