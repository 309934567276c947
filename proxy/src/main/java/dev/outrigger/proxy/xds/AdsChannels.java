package dev.outrigger.proxy.xds;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.tls.SslContexts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.UncheckedIOException;
import javax.net.ssl.SSLException;

/**
 * Channels to the ADS cluster's endpoints, one per connection attempt, taking the endpoints in
 * turn; with the cluster's upstream TLS (e.g. the control plane's 15012, trusting its CA bundle).
 */
final class AdsChannels {
  private final ClusterConfig cluster;
  private int next;
  private EndpointConfig current;

  AdsChannels(ClusterConfig cluster) {
    this.cluster = cluster;
    this.current = cluster.endpoints().get(0);
  }

  /** {@code host:port} of the endpoint of the last channel opened (the first before any). */
  String current() {
    return current.host() + ":" + current.port();
  }

  ManagedChannel open() {
    EndpointConfig endpoint = cluster.endpoints().get(next++ % cluster.endpoints().size());
    current = endpoint;
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port());
    if (cluster.tls().isPresent()) {
      try {
        builder.sslContext(SslContexts.forClient(cluster.tls().get()));
        cluster.tls().get().sni().ifPresent(builder::overrideAuthority);
      } catch (SSLException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      builder.usePlaintext();
    }
    return builder.build();
  }
}
