package dev.outrigger.proxy.admin;

import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.identity.WorkloadIdentity;
import dev.outrigger.proxy.xds.XdsStatus;
import java.util.Optional;

/** What the admin server may read from and ask of the proxy. */
public interface AdminControl {
  ServerState state();

  /** The running config. */
  ProxyConfig config();

  /** The version of the running config: {@code static} for a bootstrap, the xDS version later. */
  String configVersion();

  /** Starts draining and returns at once. Repeated calls join the drain in progress. */
  void startDrain();

  /** Drains, stops the proxy and ends the process; returns at once. */
  void startShutdown();

  /** The xDS client's state ({@code /config_dump}); empty for a proxy without {@code dynamic_resources}. */
  default Optional<XdsStatus> xdsStatus() {
    return Optional.empty();
  }

  /** The workload certificate and trust bundle in use ({@code /certs}); empty before one is loaded. */
  default Optional<WorkloadIdentity> workloadIdentity() {
    return Optional.empty();
  }
}
