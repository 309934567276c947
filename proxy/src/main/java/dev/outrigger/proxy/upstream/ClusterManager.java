package dev.outrigger.proxy.upstream;

/** The clusters of the running config, by name. */
public interface ClusterManager {

  /** The cluster, or null when no cluster has that name. */
  UpstreamCluster cluster(String name);
}
