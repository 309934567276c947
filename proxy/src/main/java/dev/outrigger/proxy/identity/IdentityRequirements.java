package dev.outrigger.proxy.identity;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import java.util.stream.Stream;

/** Whether a config refers to the workload identity: the SDS secrets {@code default} or {@code ROOTCA}. */
public final class IdentityRequirements {
  private IdentityRequirements() {}

  public static boolean needsWorkloadIdentity(ProxyConfig config) {
    boolean chains = config.listeners().stream()
        .flatMap(IdentityRequirements::chains)
        .flatMap(chain -> chain.tls().stream())
        .anyMatch(IdentityRequirements::usesIdentity);
    boolean clusters = config.clusters().values().stream()
        .map(ClusterConfig::tls)
        .flatMap(tls -> tls.stream())
        .anyMatch(IdentityRequirements::usesIdentity);
    return chains || clusters;
  }

  private static Stream<FilterChainConfig> chains(ListenerConfig listener) {
    return Stream.concat(listener.filterChains().stream(), listener.defaultFilterChain().stream());
  }

  private static boolean usesIdentity(DownstreamTlsConfig tls) {
    return tls.usesWorkloadCertificate() || tls.peerValidation().workloadBundle();
  }

  private static boolean usesIdentity(UpstreamTlsConfig tls) {
    return tls.workloadCertificate() || tls.peerValidation().workloadBundle();
  }
}
