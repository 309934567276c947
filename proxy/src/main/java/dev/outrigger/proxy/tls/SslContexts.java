package dev.outrigger.proxy.tls;

import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds Netty {@link SslContext}s from the TLS config records. A context is expensive (it parses
 * PEM and, with BoringSSL, allocates a native SSL_CTX), so callers build one per filter chain or
 * cluster per config snapshot and share it across connections.
 *
 * <p>Private keys must be unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), what {@code openssl
 * genpkey} and the identity issuers write.
 */
public final class SslContexts {
  private SslContexts() {}

  /** BoringSSL when netty-tcnative loaded, else the JDK's TLS. */
  public static SslProvider provider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** Terminates TLS for a filter chain; verifies client certificates when a trusted CA is set. */
  public static SslContext forServer(DownstreamTlsConfig config) throws SSLException {
    CertificateKeyPair pair = config.certificate();
    SslContextBuilder builder =
        SslContextBuilder.forServer(pem(pair.certificateChainPem()), pem(pair.privateKeyPem()))
            .sslProvider(provider());
    if (config.trustedCaPem().isPresent()) {
      builder
          .trustManager(pem(config.trustedCaPem().get()))
          .clientAuth(config.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    }
    if (!config.alpnProtocols().isEmpty()) {
      // A client offering none of ours still connects without ALPN, as Envoy does.
      builder.applicationProtocolConfig(alpn(config.alpnProtocols()));
    }
    return builder.build();
  }

  /**
   * Originates TLS towards a cluster. With a trusted CA the upstream's chain is verified against it
   * but its host name is not (Envoy checks names only when {@code match_subject_alt_names} is set,
   * which is outside the supported subset); without one nothing is verified, as in Envoy.
   */
  public static SslContext forClient(UpstreamTlsConfig config) throws SSLException {
    SslContextBuilder builder =
        SslContextBuilder.forClient().sslProvider(provider()).endpointIdentificationAlgorithm(null);
    if (config.trustedCaPem().isPresent()) {
      builder.trustManager(pem(config.trustedCaPem().get()));
    } else {
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
    }
    config
        .clientCertificate()
        .ifPresent(pair -> builder.keyManager(pem(pair.certificateChainPem()), pem(pair.privateKeyPem())));
    if (!config.alpnProtocols().isEmpty()) {
      builder.applicationProtocolConfig(alpn(config.alpnProtocols()));
    }
    return builder.build();
  }

  private static ApplicationProtocolConfig alpn(List<String> protocols) {
    return new ApplicationProtocolConfig(
        Protocol.ALPN,
        SelectorFailureBehavior.NO_ADVERTISE,
        SelectedListenerFailureBehavior.ACCEPT,
        protocols);
  }

  private static InputStream pem(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }
}
