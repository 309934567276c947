package dev.outrigger.proxy.xds;

import dev.outrigger.proxy.config.ProxyConfig;

/**
 * Where the xDS client hands each complete config: every listener and cluster it names is there,
 * and warm. Called on the client's thread, one config at a time, in order; the first call is the
 * proxy's first dynamic config (the point from which {@code /ready} may answer 200).
 */
@FunctionalInterface
public interface ConfigSink {
  /**
   * @param version the accepted version of each type, e.g. {@code lds=3 rds=3 cds=2 eds=5}
   */
  void apply(ProxyConfig config, String version);
}
