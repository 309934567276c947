package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.http.routing.Router;
import dev.outrigger.proxy.runtime.ConnectionContext;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Ticker;

/**
 * {@code envoy.filters.network.http_connection_manager}: terminates HTTP/1.1 or HTTP/2 on a
 * downstream connection and runs one {@link Exchange} per request.
 */
public final class HttpConnectionManager {
  /** The last compiled route table; configs are immutable, so identity decides reuse. */
  private static volatile CompiledRoutes lastCompiled;

  private record CompiledRoutes(HttpConnectionManagerConfig config, Router router) {}

  private HttpConnectionManager() {}

  /** Called on the channel's event loop, after TLS if any; starts reading. */
  public static void install(Channel downstream, HttpConnectionManagerConfig config, ConnectionContext context) {
    install(downstream, config, context, Ticker.systemTicker());
  }

  static void install(
      Channel downstream, HttpConnectionManagerConfig config, ConnectionContext context, Ticker ticker) {
    ConnectionScope scope = new ConnectionScope(config, routerFor(config), context, ticker);
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
    CompiledRoutes compiled = lastCompiled;
    if (compiled == null || compiled.config() != config) {
      compiled = new CompiledRoutes(config, Router.compile(config.routeTable()));
      lastCompiled = compiled;
    }
    return compiled.router();
  }

  /** Asks the downstream handlers to finish what is in flight and close. */
  enum DrainEvent {
    INSTANCE
  }
}
