package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.http.routing.Router;
import dev.outrigger.proxy.identity.PeerIdentity;
import dev.outrigger.proxy.runtime.ConnectionContext;
import io.netty.util.concurrent.Ticker;

/**
 * What every exchange of one downstream connection shares: config, routes, connection facts, time.
 *
 * @param peerIdentity the validated peer's SPIFFE ID, or empty: read from its certificate once per
 *     connection, not per request
 */
record ConnectionScope(
    HttpConnectionManagerConfig config, Router router, ConnectionContext context, Ticker ticker, String peerIdentity) {

  ConnectionScope(HttpConnectionManagerConfig config, Router router, ConnectionContext context, Ticker ticker) {
    this(config, router, context, ticker, PeerIdentity.of(context));
  }
}
