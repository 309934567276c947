package dev.outrigger.proxy.tls;

import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.TlsParameters;
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
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * Builds Netty {@link SslContext}s from the TLS config records. A context is expensive (it parses
 * PEM and, with BoringSSL, allocates a native SSL_CTX), so callers build one per filter chain or
 * cluster per config snapshot (and per workload certificate) and share it across connections.
 * Every context speaks TLS 1.2 and 1.3 (preferred) with forward-secret AEAD suites only, unless
 * {@code tls_params} narrows that; session resumption stays on (Netty's defaults).
 *
 * <p>Private keys must be unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), what {@code openssl
 * genpkey} and the identity issuers write.
 */
public final class SslContexts {
  private SslContexts() {}

  /** A certificate chain (leaf first) and its key, as objects: the workload's identity. */
  public record Credential(PrivateKey key, List<X509Certificate> chain) {}

  /** BoringSSL when netty-tcnative loaded, else the JDK's TLS. */
  public static SslProvider provider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** Terminates TLS with static material; verifies client certificates when a trusted CA is set. */
  public static SslContext forServer(DownstreamTlsConfig config) throws SSLException {
    return forServer(config, Optional.empty(), Optional.empty());
  }

  /**
   * @param workload presented instead of the config's static certificate
   * @param peerTrust checks client certificates instead of the static {@code trusted_ca}
   */
  public static SslContext forServer(
      DownstreamTlsConfig config, Optional<Credential> workload, Optional<TrustManager> peerTrust)
      throws SSLException {
    SslContextBuilder builder;
    if (workload.isPresent()) {
      builder = SslContextBuilder.forServer(workload.get().key(), workload.get().chain());
    } else {
      CertificateKeyPair pair = config.certificate().orElseThrow(
          () -> new IllegalArgumentException("the chain presents the workload certificate, which is not loaded"));
      builder = SslContextBuilder.forServer(pem(pair.certificateChainPem()), pem(pair.privateKeyPem()));
    }
    builder.sslProvider(provider());
    parameters(builder, config.parameters());
    ClientAuth clientAuth = config.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL;
    if (peerTrust.isPresent()) {
      builder.trustManager(peerTrust.get()).clientAuth(clientAuth);
    } else if (config.trustedCaPem().isPresent()) {
      builder.trustManager(pem(config.trustedCaPem().get())).clientAuth(clientAuth);
    }
    if (!config.alpnProtocols().isEmpty()) {
      // A client offering none of ours still connects without ALPN, as Envoy does.
      builder.applicationProtocolConfig(alpn(config.alpnProtocols()));
    }
    return builder.build();
  }

  /** Originates TLS towards a cluster with static material. */
  public static SslContext forClient(UpstreamTlsConfig config) throws SSLException {
    return forClient(config, Optional.empty(), Optional.empty());
  }

  /**
   * Originates TLS towards a cluster. With {@code peerTrust} the upstream is checked by it; else
   * with a trusted CA the upstream's chain is verified against it but its host name is not (Envoy
   * checks names only through SAN matchers); without either nothing is verified, as in Envoy.
   *
   * @param workload the client certificate, instead of the config's static one
   */
  public static SslContext forClient(
      UpstreamTlsConfig config, Optional<Credential> workload, Optional<TrustManager> peerTrust)
      throws SSLException {
    SslContextBuilder builder =
        SslContextBuilder.forClient().sslProvider(provider()).endpointIdentificationAlgorithm(null);
    parameters(builder, config.parameters());
    if (peerTrust.isPresent()) {
      builder.trustManager(peerTrust.get());
    } else if (config.trustedCaPem().isPresent()) {
      builder.trustManager(pem(config.trustedCaPem().get()));
    } else {
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
    }
    if (workload.isPresent()) {
      builder.keyManager(workload.get().key(), workload.get().chain());
    } else {
      config
          .clientCertificate()
          .ifPresent(pair -> builder.keyManager(pem(pair.certificateChainPem()), pem(pair.privateKeyPem())));
    }
    if (!config.alpnProtocols().isEmpty()) {
      builder.applicationProtocolConfig(alpn(config.alpnProtocols()));
    }
    return builder.build();
  }

  private static void parameters(SslContextBuilder builder, TlsParameters parameters) {
    builder.protocols(parameters.protocols()).ciphers(parameters.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
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
