package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.ServiceKey;
import java.util.Map;
import java.util.Optional;

/**
 * What of a proxy its own resources ({@link Translator#own}) depend on: the ports its listeners
 * bind and, for a sidecar, its service, the application's local ports and its declared TCP
 * upstreams. {@link Translator#own} reads nothing else, so proxies of one shape share one
 * translation. A sidecar's address, node id and service account are not part of it (they make it
 * an endpoint of its service, which every proxy's outbound part holds); a translator that starts
 * reading more of the workload adds it here.
 *
 * @param service empty for a node without a workload
 */
public record ProxyShape(Workload.ListenerPorts ports, Optional<ServiceKey> service,
    Map<String, Integer> appPorts, Map<String, Integer> tcpUpstreams) {
  public ProxyShape {
    appPorts = Map.copyOf(appPorts);
    tcpUpstreams = Map.copyOf(tcpUpstreams);
  }

  static ProxyShape of(Workload proxy) {
    return proxy.workload()
        .map(identity -> new ProxyShape(proxy.ports(), Optional.of(identity.service()), identity.appPorts(),
            identity.tcpUpstreams()))
        .orElseGet(() -> new ProxyShape(proxy.ports(), Optional.empty(), Map.of(), Map.of()));
  }
}
