package dev.outrigger.proxy.config;

/** The terminal network filter of a chain: HTTP connection manager or TCP proxy. */
public sealed interface NetworkFilterConfig permits HttpConnectionManagerConfig, TcpProxyConfig {
  String statPrefix();
}
