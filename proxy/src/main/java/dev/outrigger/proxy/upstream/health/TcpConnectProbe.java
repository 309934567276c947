package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;

/** Envoy's connect-only {@code tcp_health_check}: healthy when TCP (and TLS, if the cluster has it) connects. */
final class TcpConnectProbe implements Probe {
  private final UpstreamCluster cluster;

  TcpConnectProbe(UpstreamCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public void check(Endpoint endpoint, EventLoop loop, Promise<ProbeResult> result) {
    ProbeConnection.open(cluster, endpoint, loop, new ChannelInboundHandlerAdapter(), result,
        ready -> result.trySuccess(ProbeResult.HEALTHY));
  }
}
