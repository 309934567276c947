package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.runtime.Transport;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;

/**
 * The skeleton's cluster manager, kept only so that code written against it while {@link
 * UpstreamClusterManager} was being built still compiles; it is now that manager, with DNS refreshes
 * scheduled on Netty's global executor. Delete once nothing uses it.
 *
 * @deprecated use {@link UpstreamClusterManager#start}
 */
@Deprecated
public final class StaticClusterManager implements ClusterManager {
  private final UpstreamClusterManager clusters;

  public StaticClusterManager(Map<String, ClusterConfig> configs, Transport transport) {
    this.clusters = UpstreamClusterManager.start(configs, transport, GlobalEventExecutor.INSTANCE);
  }

  @Override
  public UpstreamCluster cluster(String name) {
    return clusters.cluster(name);
  }
}
