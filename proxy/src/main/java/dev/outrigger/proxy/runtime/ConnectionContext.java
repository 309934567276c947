package dev.outrigger.proxy.runtime;

import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.stream.StreamListener;
import dev.outrigger.proxy.upstream.ClusterManager;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What a network filter knows about its downstream connection, fixed once the filter chain is
 * chosen. The cluster view is the one its listener served with when it was accepted: it resolves
 * a name in the running clusters (falling back to those of that moment for a name removed since).
 *
 * @param serverName SNI from the ClientHello, when TLS and sent
 * @param applicationProtocol ALPN result on TLS, or what the HTTP inspector saw ({@code h2c} /
 *     {@code http/1.1}); empty when unknown
 * @param peerCertificate the downstream's leaf certificate on TLS when it sent one; the TLS
 *     context has already validated it
 * @param streamListener told about every finished request or connection (access logs, metrics)
 */
public record ConnectionContext(
    ListenerConfig listener,
    FilterChainConfig filterChain,
    ClusterManager clusters,
    InetSocketAddress remoteAddress,
    InetSocketAddress localAddress,
    boolean tls,
    Optional<String> serverName,
    Optional<String> applicationProtocol,
    Optional<X509Certificate> peerCertificate,
    StreamListener streamListener) {

  /** This context with the stream listener of its filter chain (access logs, metrics). */
  public ConnectionContext withStreamListener(StreamListener streams) {
    return new ConnectionContext(
        listener, filterChain, clusters, remoteAddress, localAddress, tls, serverName,
        applicationProtocol, peerCertificate, streams);
  }
}
