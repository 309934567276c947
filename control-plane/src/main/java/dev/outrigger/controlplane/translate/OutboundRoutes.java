package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.GrpcRoute;
import dev.outrigger.controlplane.model.HttpRoute;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.ParentRef;
import dev.outrigger.controlplane.model.Service;
import dev.outrigger.controlplane.model.ServiceKey;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outbound route configuration: one virtual host per HTTP service port of the mesh, found
 * by authority, whose routes are the GRPCRoute and HTTPRoute rules attached to it, or, with
 * none, one route to the port's own cluster.
 */
final class OutboundRoutes {
  private final MeshModel model;

  OutboundRoutes(MeshModel model) {
    this.model = model;
  }

  RouteConfiguration build() {
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(Names.OUTBOUND);
    for (Service service : Translator.routable(model)) {
      for (Service.Port port : Translator.httpPorts(service)) {
        config.addVirtualHosts(virtualHost(service, port));
      }
    }
    return config.build();
  }

  private VirtualHost virtualHost(Service service, Service.Port port) {
    ServiceKey key = Names.key(service);
    List<Route> routes = new ArrayList<>(grpcRoutes(key, port));
    routes.addAll(httpRoutes(key, port));
    if (routes.isEmpty()) {
      routes.add(Route.newBuilder().setName("default")
          .setMatch(RouteMatch.newBuilder().setPrefix(""))
          .setRoute(RouteAction.newBuilder().setCluster(Names.outboundCluster(key, port.port()))
              .setTimeout(RouteActions.duration(Duration.ZERO)))
          .build());
    }
    return VirtualHost.newBuilder().setName(Names.virtualHost(key, port.port()))
        .addAllDomains(Names.domains(service, port)).addAllRoutes(routes).build();
  }

  /** Every match of every attached GRPCRoute rule, in Gateway API precedence. */
  private List<Route> grpcRoutes(ServiceKey key, Service.Port port) {
    record Candidate(GrpcRoute.Match match, GrpcRoute.Rule rule, String name) {}
    List<Candidate> candidates = new ArrayList<>();
    for (GrpcRoute route : model.grpcRoutes(key)) {
      if (!attaches(route.parentRefs(), key, port)) {
        continue;
      }
      for (int r = 0; r < route.rules().size(); r++) {
        GrpcRoute.Rule rule = route.rules().get(r);
        List<GrpcRoute.Match> matches = rule.matches().isEmpty()
            ? List.of(new GrpcRoute.Match(Optional.empty(), List.of())) : rule.matches();
        for (int m = 0; m < matches.size(); m++) {
          String name = routeName(route.metadata().namespace(), route.metadata().name(), rule.name(), r, m);
          candidates.add(new Candidate(matches.get(m), rule, name));
        }
      }
    }
    candidates.sort(Comparator.comparing(Candidate::match, RouteMatches.GRPC_PRECEDENCE));
    return candidates.stream().map(c -> RouteActions.apply(
        Route.newBuilder().setName(c.name()).setMatch(RouteMatches.grpc(c.match())),
        c.rule().filters(), c.rule().backendRefs(), HttpRoute.Timeouts.NONE, Optional.empty()).build()).toList();
  }

  /** Every match of every attached HTTPRoute rule, in Gateway API precedence. */
  private List<Route> httpRoutes(ServiceKey key, Service.Port port) {
    record Candidate(HttpRoute.Match match, HttpRoute route, HttpRoute.Rule rule, String name) {}
    List<Candidate> candidates = new ArrayList<>();
    for (HttpRoute route : model.httpRoutes(key)) {
      if (!attaches(route.parentRefs(), key, port)) {
        continue;
      }
      for (int r = 0; r < route.rules().size(); r++) {
        HttpRoute.Rule rule = route.rules().get(r);
        for (int m = 0; m < rule.matches().size(); m++) {
          String name = routeName(route.metadata().namespace(), route.metadata().name(), rule.name(), r, m);
          candidates.add(new Candidate(rule.matches().get(m), route, rule, name));
        }
      }
    }
    candidates.sort(Comparator.comparing(Candidate::match, RouteMatches.PRECEDENCE));
    return candidates.stream().map(c -> RouteActions.apply(
        Route.newBuilder().setName(c.name()).setMatch(RouteMatches.http(c.match())),
        c.rule().filters(), c.rule().backendRefs(), c.rule().timeouts(), c.rule().retry()).build()).toList();
  }

  private static boolean attaches(List<ParentRef> parents, ServiceKey key, Service.Port port) {
    return parents.stream().anyMatch(parent -> parent.service().equals(key)
        && (parent.port().isEmpty() || parent.port().getAsInt() == port.port()));
  }

  /** {@code <namespace>/<route>/<rule name or index>/<match index>}. */
  private static String routeName(String namespace, String route, Optional<String> ruleName,
      int rule, int match) {
    return namespace + "/" + route + "/" + ruleName.orElse(String.valueOf(rule)) + "/" + match;
  }
}
