package dev.outrigger.proxy.http;

import dev.outrigger.proxy.authz.PeerIdentity;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.runtime.ConnectionContext;
import io.netty.util.concurrent.Ticker;

/**
 * What every exchange of one downstream connection shares: config, routes, connection facts, time,
 * and what the client's certificate says (read once per connection).
 */
record ConnectionScope(
    HttpConnectionManagerConfig config, Routes routes, ConnectionContext context, Ticker ticker,
    PeerIdentity peer, ClientCertHeader clientCert) {}
