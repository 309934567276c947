package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.identity.HandshakeFailures;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.stream.StreamListener;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Takes a connection from "protocols detected" to "network filter running": selects the filter
 * chain, terminates TLS when the chain has it, then fills the {@link ConnectionContext} and calls
 * the chain's {@link NetworkFilterInstaller}. Without a matching chain the connection is closed.
 * Everything comes from the one {@link ListenerChains} the connection read when it was accepted.
 */
final class ChainLauncher {
  private final ListenerObserver observer;
  private final HandshakeFailures handshakeFailures;

  ChainLauncher(ListenerObserver observer, HandshakeFailures handshakeFailures) {
    this.observer = observer;
    this.handshakeFailures = handshakeFailures;
  }

  /** Called on the channel's event loop; adds handlers at the end of the pipeline. */
  void launch(Channel channel, Detected detected, ListenerChains serving) {
    ListenerConfig listener = serving.config;
    InetSocketAddress local = (InetSocketAddress) channel.localAddress();
    PreparedChain chain = serving.selector.select(local.getPort(), detected);
    if (chain == null) {
      observer.noFilterChainMatched(listener);
      channel.close();
      return;
    }
    if (chain.ssl() == null) {
      chain.installer().install(
          channel,
          context(
              channel, serving, chain, false, detected.serverName(), httpProtocol(detected),
              Optional.empty()));
      return;
    }
    InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
    String peerHost = remote.getAddress().getHostAddress();
    SslHandler ssl;
    try {
      // The peer's address only names it in the trust manager's log lines.
      ssl = chain.ssl().newHandler(channel.alloc(), peerHost, remote.getPort());
    } catch (IllegalStateException noIdentityYet) {
      observer.tlsHandshakeCompleted(listener, false);
      channel.close();
      return;
    }
    channel
        .pipeline()
        .addLast(ssl)
        .addLast(
            new TlsHandshakeCompletion(
                () ->
                    chain.installer().install(
                        channel,
                        context(
                            channel, serving, chain, true,
                            detected.serverName().or(() -> requestedServerName(ssl.engine().getSession())),
                            Optional.ofNullable(ssl.applicationProtocol()),
                            peerCertificate(ssl.engine().getSession()))),
                success -> observer.tlsHandshakeCompleted(listener, success),
                cause -> handshakeFailures.downstreamFailed(peerHost + ":" + remote.getPort(), cause)));
    // Auto-read is off: ask for the ClientHello (when no inspector has peeked it); the SslHandler
    // then reads on by itself until the handshake is done.
    channel.read();
  }

  private static ConnectionContext context(
      Channel channel,
      ListenerChains serving,
      PreparedChain chain,
      boolean tls,
      Optional<String> serverName,
      Optional<String> applicationProtocol,
      Optional<X509Certificate> peerCertificate) {
    return new ConnectionContext(
        serving.config,
        chain.config(),
        serving.clusters,
        (InetSocketAddress) channel.remoteAddress(),
        (InetSocketAddress) channel.localAddress(),
        tls,
        serverName,
        applicationProtocol,
        peerCertificate,
        StreamListener.NONE);
  }

  /** On plaintext only the HTTP inspector can have named the protocol. */
  private static Optional<String> httpProtocol(Detected detected) {
    List<String> protocols = detected.applicationProtocols();
    return protocols.isEmpty() ? Optional.empty() : Optional.of(protocols.get(0));
  }

  /** The client's leaf, when the chain asked for one and the client sent it. */
  private static Optional<X509Certificate> peerCertificate(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate
          ? Optional.of((X509Certificate) chain[0])
          : Optional.empty();
    } catch (SSLPeerUnverifiedException noCertificate) {
      return Optional.empty();
    }
  }

  /** SNI as the TLS engine saw it, for chains reached without the TLS inspector. */
  private static Optional<String> requestedServerName(SSLSession session) {
    if (!(session instanceof ExtendedSSLSession)) {
      return Optional.empty();
    }
    for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
      if (name instanceof SNIHostName) {
        return Optional.of(((SNIHostName) name).getAsciiName());
      }
    }
    return Optional.empty();
  }
}
