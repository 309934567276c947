package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.upstream.UpstreamCluster;

/** The probe for a configured check. */
final class Probes {
  private Probes() {}

  static Probe of(HealthCheckConfig.Probe config, UpstreamCluster cluster) {
    if (config instanceof HealthCheckConfig.HttpProbe http) {
      return new HttpGetProbe(http, cluster);
    }
    if (config instanceof HealthCheckConfig.GrpcProbe grpc) {
      return new GrpcHealthProbe(grpc, cluster);
    }
    return new TcpConnectProbe(cluster);
  }
}
