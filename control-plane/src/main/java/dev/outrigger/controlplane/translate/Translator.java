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
 *   <li>Listener {@code outbound} (0.0.0.0:15001, or the port the node declares) with RDS {@code outbound}: a virtual host per
 *       HTTP port of every service, routes from the GRPCRoutes and HTTPRoutes attached to it.</li>
 *   <li>Per port of every service a cluster {@code outbound|<port>||<name>.<namespace>} (EDS over
 *       ADS) and its ClusterLoadAssignment.</li>
 *   <li>For a sidecar whose service is in the model: listener {@code inbound} (0.0.0.0:15006,
 *       or the declared port; mTLS, the RBAC chain; a filter chain per TCP port) and per port a
 *       cluster {@code inbound|<port>||} to the app.</li>
 *   <li>For a sidecar, a listener per TCP upstream it declares ({@link TcpPorts}).</li>
 * </ul>

 *
 * <p>The two halves are functions of less: {@link #outbound} of (model, endpoints), the same for
 * every proxy, and {@link #own} of (model, {@link ProxyShape}), the same for every sidecar of one
 * shape. {@link MeshXds} translates each once and shares the result.
 */
public final class Translator {
  private static final Comparator<Service> BY_KEY = Comparator
      .comparing((Service s) -> s.metadata().namespace()).thenComparing(s -> s.metadata().name());

  private Translator() {}

  public static Translation translate(MeshModel model, Workload proxy, Endpoints endpoints) {
    return outbound(model, endpoints).with(own(model, ProxyShape.of(proxy)));
  }

  /** What every proxy receives alike: the outbound routes and every service port's cluster and endpoints. */
  public static Translation outbound(MeshModel model, Endpoints endpoints) {
    Resources.Builder resources = Resources.builder();
    String trustDomain = model.meshConfig().trustDomain();
    resources.add(new OutboundRoutes(model).build());
    for (Service service : routable(model)) {
      for (Service.Port port : service.ports()) {
        resources.add(Clusters.outbound(service, port, trustDomain, endpoints));
        if (!Clusters.resolvesNames(service)) {
          resources.add(Clusters.outboundEndpoints(service, port, endpoints));
        }
      }
    }
    return new Translation(resources.build(), List.of());
  }

  /**
   * What a proxy of {@code shape} receives beyond {@link #outbound}: its outbound listener, and for
   * a sidecar its inbound listener and clusters and the listeners of the TCP upstreams it declares.
   */
  public static Translation own(MeshModel model, ProxyShape shape) {
    List<String> warnings = new ArrayList<>();
    Resources.Builder resources = Resources.builder();
    resources.add(Listeners.outbound(shape.ports().outbound()));
    shape.service().ifPresent(service -> {
      Optional<Service> own = model.service(service);
      if (own.isEmpty()) {
        warnings.add("no inbound listener: sidecars declare service " + service
            + ", which the model does not have");
        return;
      }
      if (!own.get().endpoints().isEmpty()) {
        warnings.add("sidecars front service " + service + ", which has static endpoints: callers reach"
            + " those, in plain text, not these sidecars");
      }
      inbound(model, own.get(), shape, resources);
    });
    if (shape.service().isPresent()) {
      TcpPorts.outboundListeners(model, shape, warnings::add).forEach(resources::add);
    }
    return new Translation(resources.build(), warnings);
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
    for (Service.Port port : TcpPorts.tcp(service)) {
      resources.add(Clusters.inbound(port, shape.appPorts().getOrDefault(port.name(), port.port())));
    }
    RbacChain rbac = new RbacChain(EffectivePolicy.forService(model, key), service);
    resources.add(Listeners.inbound(shape.ports().inbound(), rbac.filters(), routes.build(), TcpPorts.inboundChains(service, rbac)));
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
