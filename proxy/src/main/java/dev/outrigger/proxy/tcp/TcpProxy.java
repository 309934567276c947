package dev.outrigger.proxy.tcp;

import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.runtime.ConnectionContext;
import io.netty.channel.Channel;

/** {@code envoy.filters.network.tcp_proxy}. PLACEHOLDER: being built now. */
public final class TcpProxy {
  private TcpProxy() {}

  public static void install(Channel downstream, TcpProxyConfig config, ConnectionContext context) {
    throw new UnsupportedOperationException("TCP proxy not built yet");
  }
}
