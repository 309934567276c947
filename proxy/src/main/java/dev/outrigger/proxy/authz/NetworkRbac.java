package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import dev.outrigger.proxy.stream.StreamInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import java.util.List;

/**
 * The {@code envoy.filters.network.rbac} filters of a chain, in front of its terminal filter. Each
 * connection is checked once, when the chain takes it (after the TLS handshake, before a byte is
 * read), against the filters in order; the first denial closes it, and the terminal filter never
 * sees it. Envoy checks on the first byte; here a server-first protocol is refused before the
 * upstream is dialled as well.
 */
public final class NetworkRbac implements NetworkFilterInstaller {
  private final Authorizer[] filters;
  private final NetworkFilterInstaller next;
  private final boolean reportsConnections;

  private NetworkRbac(Authorizer[] filters, NetworkFilterInstaller next, boolean reportsConnections) {
    this.filters = filters;
    this.next = next;
    this.reportsConnections = reportsConnections;
  }

  /**
   * {@code next} behind the chain's RBAC filters, or {@code next} itself when there are none.
   *
   * @param reportsConnections the chain's stream listener takes connections (TCP proxy), so a
   *     denied connection is logged and counted there; an HTTP chain's listener takes requests,
   *     and a connection denied before its first request is not one (as in Envoy)
   */
  public static NetworkFilterInstaller wrap(
      List<NetworkRbacConfig> configs, NetworkFilterInstaller next, MeterRegistry registry, boolean reportsConnections) {
    if (configs.isEmpty()) {
      return next;
    }
    Authorizer[] filters = configs.stream()
        .map(c -> Authorizer.compile(c.rules(), c.shadowRules(), new RbacMeters(registry, "network", c.statPrefix())))
        .toArray(Authorizer[]::new);
    return new NetworkRbac(filters, next, reportsConnections);
  }

  @Override
  public void install(Channel downstream, ConnectionContext context) {
    PeerIdentity peer = PeerIdentity.of(context.peerCertificate());
    ConnectionRequest connection = new ConnectionRequest(context, peer);
    for (Authorizer filter : filters) {
      Decision decision = filter.authorize(connection);
      if (!decision.allowed()) {
        refuse(downstream, context, peer, decision);
        return;
      }
    }
    next.install(downstream, context);
  }

  private void refuse(Channel downstream, ConnectionContext context, PeerIdentity peer, Decision decision) {
    if (reportsConnections) {
      StreamInfo session =
          new StreamInfo(System.currentTimeMillis(), System.nanoTime(), context.listener().name(), context.remoteAddress());
      session.peerIdentity(peer.spiffeId());
      session.terminationDetails(decision.responseDetail());
      context.streamListener().onStart(session);
      downstream.closeFuture().addListener(closed -> {
        session.end(System.nanoTime());
        context.streamListener().onComplete(session);
      });
    }
    downstream.close();
  }
}
