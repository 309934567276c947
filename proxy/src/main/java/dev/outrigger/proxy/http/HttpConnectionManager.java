package dev.outrigger.proxy.http;

import dev.outrigger.proxy.authz.PeerIdentity;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.http.filter.FilterResources;
import dev.outrigger.proxy.http.filter.HttpFilterChain;
import dev.outrigger.proxy.http.routing.Router;
import dev.outrigger.proxy.lifecycle.Drainable;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Ticker;

/**
 * {@code envoy.filters.network.http_connection_manager}: terminates HTTP/1.1 or HTTP/2 on a
 * downstream connection and runs one {@link Exchange} per request.
 */
public final class HttpConnectionManager implements NetworkFilterInstaller {
  private final HttpConnectionManagerConfig config;
  private final HttpFilterChain filters;
  private final Routes routes;

  /**
   * Compiles the route table: once per config snapshot, off the event loops, so a large table
   * never stalls a connection.
   */
  public HttpConnectionManager(HttpConnectionManagerConfig config) {
    this(config, FilterResources.unmetered());
  }

  /** Makes the HTTP filters, then compiles the route table with their per-route overrides. */
  public HttpConnectionManager(HttpConnectionManagerConfig config, FilterResources filters) {
    this.config = config;
    this.filters = HttpFilterChain.build(config.httpFilters(), filters.forConnectionManager(config.statPrefix()));
    this.routes = new Routes(Router.compile(config.routeTable(), this.filters));
  }

  /**
   * Compiles {@code table} with this manager's HTTP filters, off the event loops; the returned
   * step makes it the table of every connection, open or new, for their next requests.
   *
   * @throws IllegalArgumentException when the table is inconsistent (see {@link Router#compile})
   */
  public Runnable prepareRoutes(RouteTableConfig table) {
    Router next = Router.compile(table, filters);
    return () -> routes.use(next);
  }

  /** Called on the channel's event loop, after TLS if any; starts reading. */
  @Override
  public void install(Channel downstream, ConnectionContext context) {
    PeerIdentity peer = PeerIdentity.of(context.peerCertificate());
    ConnectionScope scope = new ConnectionScope(config, routes, context, Ticker.systemTicker(), peer,
        ClientCertHeader.forConnection(config.clientCertForwarding(), peer, downstream));
    switch (DownstreamCodec.choose(config.codecType(), context.applicationProtocol())) {
      case HTTP1 -> Http1Downstream.install(downstream, scope);
      case HTTP2 -> Http2Downstream.install(downstream, scope);
      case DETECT -> downstream.pipeline().addLast(new PrefaceDetector(scope));
    }
    Drainable.register(downstream, () -> drain(downstream));
    downstream.read();
  }

  /**
   * Starts a graceful close of {@code downstream}: HTTP/2 sends GOAWAY and closes when its streams
   * end; HTTP/1.1 answers the request in flight with {@code Connection: close}, or closes at once
   * when idle. Safe from any thread.
   */
  public static void drain(Channel downstream) {
    downstream.eventLoop().execute(() -> downstream.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
  }

  /** Asks the downstream handlers to finish what is in flight and close. */
  enum DrainEvent {
    INSTANCE
  }
}
