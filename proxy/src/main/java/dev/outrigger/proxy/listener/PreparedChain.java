package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.NetworkFilterConfig;
import dev.outrigger.proxy.identity.TlsContextFactory;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.io.UncheckedIOException;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * A filter chain with what is built once for it: its TLS context (null without TLS) and what
 * installs its network filter on a connection. Whoever prepares it releases it.
 */
public record PreparedChain(FilterChainConfig config, SslContext ssl, NetworkFilterInstaller installer) {

  /**
   * @throws UncheckedIOException when the chain's TLS material cannot be loaded
   */
  public static PreparedChain prepare(
      FilterChainConfig chain, NetworkFilterInstaller installer, TlsContextFactory tlsContexts) {
    if (chain.tls().isEmpty()) {
      return new PreparedChain(chain, null, installer);
    }
    try {
      SslContext ssl = tlsContexts.server(chain.name(), withCodecAlpn(chain.tls().get(), chain.filter()));
      return new PreparedChain(chain, ssl, installer);
    } catch (SSLException e) {
      throw new UncheckedIOException("filter chain " + chain.name() + ": bad TLS config", e);
    }
  }

  /**
   * Releases the TLS context; connections already handshaking or established keep their own
   * reference through their engines.
   */
  public void release() {
    ReferenceCountUtil.release(ssl);
  }

  /**
   * An empty ALPN list lets the chain's codec decide what is offered: an HTTP connection manager
   * offers what its codec type speaks, a TCP proxy nothing.
   */
  private static DownstreamTlsConfig withCodecAlpn(DownstreamTlsConfig tls, NetworkFilterConfig filter) {
    if (!tls.alpnProtocols().isEmpty() || !(filter instanceof HttpConnectionManagerConfig)) {
      return tls;
    }
    List<String> alpn;
    switch (((HttpConnectionManagerConfig) filter).codecType()) {
      case HTTP1:
        alpn = List.of(ApplicationProtocolNames.HTTP_1_1);
        break;
      case HTTP2:
        alpn = List.of(ApplicationProtocolNames.HTTP_2);
        break;
      default:
        alpn = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    }
    return tls.withAlpnProtocols(alpn);
  }
}
