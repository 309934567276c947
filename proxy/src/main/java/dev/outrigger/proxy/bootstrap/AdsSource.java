package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.ClusterConfig;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * The bootstrap's {@code dynamic_resources}: one ADS stream to a static cluster, and which
 * wildcard types it subscribes.
 *
 * @param delta {@code DELTA_GRPC} (incremental) rather than {@code GRPC} (state of the world)
 * @param cluster the static cluster the stream connects to, with its TLS if any
 * @param node sent on the stream: id, cluster and metadata (workload registration)
 * @param listeners {@code lds_config: {ads: {}}} is set
 * @param clusters {@code cds_config: {ads: {}}} is set
 */
public record AdsSource(boolean delta, ClusterConfig cluster, Node node, boolean listeners, boolean clusters) {}
