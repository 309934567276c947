package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.FilterChainConfig;
import io.netty.handler.ssl.SslContext;

/** A filter chain with what is built once for it per config: its TLS context (null without TLS). */
record PreparedChain(FilterChainConfig config, SslContext ssl) {}
