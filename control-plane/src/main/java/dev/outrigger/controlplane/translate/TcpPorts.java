package dev.outrigger.controlplane.translate;

import com.google.protobuf.Any;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.Service;
import dev.outrigger.controlplane.model.ServiceKey;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Opaque TCP between sidecars, without iptables. The application cannot be intercepted, so it
 * connects to a local port its sidecar declares per TCP upstream ({@link Workload#TCP_UPSTREAMS},
 * Consul Connect's "upstreams" model): one outbound listener per declared upstream on 127.0.0.1,
 * a tcp_proxy to the service port's cluster, which speaks mTLS to the peer sidecars' inbound port
 * with the port's SNI. The peer's inbound listener has one filter chain per TCP port of its
 * service, chosen by that SNI: it terminates mTLS, applies the network RBAC chain and forwards
 * the bytes to the application's local port.
 */
final class TcpPorts {
  private TcpPorts() {}

  /**
   * The outbound listeners of the TCP upstreams {@code workload} declares; a declaration the model
   * cannot honour (no such service or TCP port, a local port taken) is left out with a warning.
   */
  static List<Listener> outboundListeners(MeshModel model, ProxyShape workload, Consumer<String> warnings) {
    Map<String, ServiceKey> byName = new HashMap<>();
    Translator.routable(model).forEach(service -> byName.put(
        Names.key(service).name() + "." + Names.key(service).namespace(), Names.key(service)));
    Map<Integer, String> taken = new HashMap<>();
    taken.put(workload.ports().outbound(), "the outbound listener");
    taken.put(workload.ports().inbound(), "the inbound listener");
    workload.service().flatMap(model::service).ifPresent(own -> own.ports().forEach(port -> taken.put(
        workload.appPorts().getOrDefault(port.name(), port.port()), "the application's port " + port.name())));
    List<Listener> listeners = new ArrayList<>();
    new TreeMap<>(workload.tcpUpstreams()).forEach((upstream, localPort) -> {
      String problem = "TCP upstream " + upstream + " (node metadata " + Workload.TCP_UPSTREAMS + "): left out: ";
      Optional<String> cluster = tcpCluster(upstream, byName, model);
      if (cluster.isEmpty()) {
        warnings.accept(problem + "no tcp port of a service of the mesh is <name>.<namespace>:<port>");
        return;
      }
      String holder = taken.putIfAbsent(localPort, "TCP upstream " + upstream);
      if (holder != null) {
        warnings.accept(problem + "local port " + localPort + " is " + holder + "'s");
        return;
      }
      listeners.add(Listener.newBuilder().setName("outbound_tcp|" + upstream)
          .setAddress(Clusters.address("127.0.0.1", localPort))
          .addFilterChains(FilterChain.newBuilder().addFilters(tcpProxy(cluster.get())))
          .build());
    });
    return listeners;
  }

  /** The inbound filter chains of {@code service}'s TCP ports, each picked by its SNI. */
  static List<FilterChain> inboundChains(Service service, RbacChain rbac) {
    ServiceKey key = Names.key(service);
    List<FilterChain> chains = new ArrayList<>();
    for (Service.Port port : tcp(service)) {
      chains.add(FilterChain.newBuilder().setName("inbound_tcp|" + port.port())
          .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(Names.tcpServerName(key, port.port())))
          .setTransportSocket(Clusters.tls(Listeners.peerTls()))
          .addAllFilters(rbac.tcpFilters(port.port()))
          .addFilters(tcpProxy(Names.inboundCluster(port.port())))
          .build());
    }
    return chains;
  }

  static List<Service.Port> tcp(Service service) {
    return service.ports().stream().filter(port -> port.protocol() == Service.Protocol.TCP).toList();
  }

  /** The cluster of {@code <name>.<namespace>:<port>} when that service has that port and it is a TCP port. */
  private static Optional<String> tcpCluster(String upstream, Map<String, ServiceKey> byName, MeshModel model) {
    int colon = upstream.lastIndexOf(':');
    if (colon < 0 || !upstream.substring(colon + 1).matches("[0-9]{1,5}")) {
      return Optional.empty();
    }
    int port = Integer.parseInt(upstream.substring(colon + 1));
    return Optional.ofNullable(byName.get(upstream.substring(0, colon)))
        .filter(key -> model.service(key).flatMap(service -> service.port(port))
            .filter(p -> p.protocol() == Service.Protocol.TCP).isPresent())
        .map(key -> Names.outboundCluster(key, port));
  }

  private static Filter tcpProxy(String cluster) {
    return Filter.newBuilder().setName("envoy.filters.network.tcp_proxy").setTypedConfig(Any.pack(
        TcpProxy.newBuilder().setStatPrefix(cluster).setCluster(cluster).build())).build();
  }
}
