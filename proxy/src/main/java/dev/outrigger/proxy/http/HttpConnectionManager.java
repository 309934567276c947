package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.runtime.ConnectionContext;
import io.netty.channel.Channel;

/** {@code envoy.filters.network.http_connection_manager}. PLACEHOLDER: being built now. */
public final class HttpConnectionManager {
  private HttpConnectionManager() {}

  public static void install(Channel downstream, HttpConnectionManagerConfig config, ConnectionContext context) {
    throw new UnsupportedOperationException("HTTP connection manager not built yet");
  }
}
