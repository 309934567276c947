package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.http.routing.Router;
import dev.outrigger.proxy.runtime.ConnectionContext;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Ticker;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * {@code envoy.filters.network.http_connection_manager}: terminates HTTP/1.1 or HTTP/2 on a
 * downstream connection and runs one {@link Exchange} per request.
 */
public final class HttpConnectionManager {
  private static final int MAX_COMPILED = 16;

  /**
   * Routers compiled so far, by config identity (configs are immutable; hashing one deeply per
   * connection would cost more than it saves). Copy-on-write and read without a lock; a racing
   * writer may drop an entry, which is then compiled again. Old snapshots fall out when it fills.
   */
  private static volatile Map<HttpConnectionManagerConfig, Router> compiled = new IdentityHashMap<>();

  private HttpConnectionManager() {}

  /** Called on the channel's event loop, after TLS if any; starts reading. */
  public static void install(Channel downstream, HttpConnectionManagerConfig config, ConnectionContext context) {
    ConnectionScope scope = new ConnectionScope(config, routerFor(config), context, Ticker.systemTicker());
    switch (DownstreamCodec.choose(config.codecType(), context.applicationProtocol())) {
      case HTTP1 -> Http1Downstream.install(downstream, scope);
      case HTTP2 -> Http2Downstream.install(downstream, scope);
      case DETECT -> downstream.pipeline().addLast(new PrefaceDetector(scope));
    }
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

  private static Router routerFor(HttpConnectionManagerConfig config) {
    Map<HttpConnectionManagerConfig, Router> known = compiled;
    Router router = known.get(config);
    if (router == null) {
      router = Router.compile(config.routeTable());
      Map<HttpConnectionManagerConfig, Router> next = new IdentityHashMap<>(known.size() < MAX_COMPILED ? known : Map.of());
      next.put(config, router);
      compiled = next;
    }
    return router;
  }

  /** Asks the downstream handlers to finish what is in flight and close. */
  enum DrainEvent {
    INSTANCE
  }
}
