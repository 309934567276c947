package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.ServiceKey;
import java.util.Map;

/**
 * What of a sidecar's workload its own (inbound) resources depend on: {@link
 * Translator#inbound} reads nothing else, so sidecars of one shape share one translation. Its
 * address, node id and service account are not part of it (they make it an endpoint of its
 * service, which every proxy's outbound part holds); a translator that starts reading more of
 * the workload adds it here.
 */
public record ProxyShape(ServiceKey service, Map<String, Integer> appPorts) {
  public ProxyShape {
    appPorts = Map.copyOf(appPorts);
  }

  static ProxyShape of(Workload.Identity workload) {
    return new ProxyShape(workload.service(), workload.appPorts());
  }
}
