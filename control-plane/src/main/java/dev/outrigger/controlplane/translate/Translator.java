package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.EffectivePolicy;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.Service;
import dev.outrigger.controlplane.model.ServiceKey;
import dev.outrigger.controlplane.xds.Resources;
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
 * The mesh model as one proxy's Envoy resources: a pure function of (model, proxy, endpoints), so
 * equal inputs give equal resources and so equal versions.
 *
 * <ul>
 *   <li>Listener {@code outbound} (0.0.0.0:15001) with RDS {@code outbound}: a virtual host per
 *       HTTP port of every service, routes from the GRPCRoutes and HTTPRoutes attached to it.</li>
 *   <li>Per such port a cluster {@code outbound|<port>||<name>.<namespace>} (EDS over ADS) and
 *       its ClusterLoadAssignment.</li>
 *   <li>For a sidecar whose service is in the model: listener {@code inbound} (0.0.0.0:15006,
 *       mTLS, the RBAC chain) and per HTTP port a cluster {@code inbound|<port>||} to the app.</li>
 * </ul>
 * TCP ports are not routed yet (no opaque outbound listener).
 *
 * <p>The two halves are functions of less: {@link #outbound} of (model, endpoints), the same for
 * every proxy, and {@link #inbound} of (model, {@link ProxyShape}), the same for every sidecar of
 * one shape. {@link MeshXds} translates each once and shares the result.
 */
public final class Translator {
  private static final Comparator<Service> BY_KEY = Comparator
      .comparing((Service s) -> s.metadata().namespace()).thenComparing(s -> s.metadata().name());

  private Translator() {}

  public static Translation translate(MeshModel model, Workload proxy, Endpoints endpoints) {
    Translation outbound = outbound(model, endpoints);
    return proxy.workload().map(ProxyShape::of)
        .map(shape -> outbound.with(inbound(model, shape)))
        .orElse(outbound);
  }

  /** What every proxy receives alike, whatever its workload: the outbound listener, routes and clusters. */
  public static Translation outbound(MeshModel model, Endpoints endpoints) {
    List<String> warnings = new ArrayList<>();
    Resources.Builder resources = Resources.builder();
    String trustDomain = model.meshConfig().trustDomain();
    resources.add(Listeners.outbound());
    resources.add(new OutboundRoutes(model, warnings::add).build());
    for (Service service : routable(model)) {
      for (Service.Port port : httpPorts(service)) {
        resources.add(Clusters.outbound(service, port, trustDomain, endpoints));
        resources.add(Clusters.outboundEndpoints(service, port, endpoints));
      }
    }
    return new Translation(resources.build(), warnings);
  }

  /** What a sidecar of {@code shape} receives beyond {@link #outbound}: its inbound listener and clusters. */
  public static Translation inbound(MeshModel model, ProxyShape shape) {
    Resources.Builder resources = Resources.builder();
    Optional<Service> own = model.service(shape.service());
    if (own.isEmpty()) {
      return new Translation(resources.build(), List.of("no inbound listener: sidecars declare service "
          + shape.service() + ", which the model does not have"));
    }
    inbound(model, own.get(), shape, resources);
    return new Translation(resources.build(), List.of());
  }

  private static void inbound(MeshModel model, Service service, ProxyShape shape,
      Resources.Builder resources) {
    ServiceKey key = Names.key(service);
    RouteConfiguration.Builder routes = RouteConfiguration.newBuilder().setName(Names.INBOUND);
    List<Service.Port> ports = httpPorts(service);
    for (Service.Port port : ports) {
      resources.add(Clusters.inbound(port, shape.appPorts().getOrDefault(port.name(), port.port())));
      routes.addVirtualHosts(VirtualHost.newBuilder().setName(Names.virtualHost(key, port.port()))
          .addAllDomains(Names.domains(service, port)).addRoutes(toApp(port)));
    }
    if (!ports.isEmpty()) {
      // A caller's URLRewrite may have changed the authority: such requests go to the first port.
      routes.addVirtualHosts(VirtualHost.newBuilder().setName("default").addDomains("*").addRoutes(toApp(ports.get(0))));
    }
    resources.add(Listeners.inbound(new RbacChain(EffectivePolicy.forService(model, key), service).filters(),
        routes.build()));
  }

  private static Route toApp(Service.Port port) {
    return Route.newBuilder().setName("app").setMatch(RouteMatch.newBuilder().setPrefix(""))
        .setRoute(RouteAction.newBuilder().setCluster(Names.inboundCluster(port.port()))
            .setTimeout(RouteActions.duration(Duration.ZERO)))
        .build();
  }

  /** Every service, by namespace then name. */
  static List<Service> routable(MeshModel model) {
    return model.services().values().stream().sorted(BY_KEY).toList();
  }

  /** The ports spoken HTTP (http, http2, grpc), in declared order. */
  static List<Service.Port> httpPorts(Service service) {
    return service.ports().stream().filter(port -> port.protocol() != Service.Protocol.TCP).toList();
  }
}
