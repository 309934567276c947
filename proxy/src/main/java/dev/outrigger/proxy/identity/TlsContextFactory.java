package dev.outrigger.proxy.identity;

import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.PeerValidation;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import dev.outrigger.proxy.tls.SslContexts;
import dev.outrigger.proxy.tls.SslContexts.Credential;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * Builds the TLS context of a filter chain or cluster from its config and the workload identity:
 * static material gives a plain context; the workload certificate (SDS {@code default}) gives a
 * {@link RotatingSslContext}; the workload bundle (SDS {@code ROOTCA}) or SAN matchers give a
 * {@link SpiffeTrustManager} reading the current bundle at each handshake.
 */
public final class TlsContextFactory {
  private final WorkloadIdentities identities;
  private final IdentityMetrics metrics;
  private final Clock clock;
  private final HandshakeFailures handshakeFailures;

  public TlsContextFactory(WorkloadIdentities identities, IdentityMetrics metrics, Clock clock) {
    this.identities = identities;
    this.metrics = metrics;
    this.clock = clock;
    this.handshakeFailures = new HandshakeFailures(metrics);
  }

  /** Where listeners report failed handshakes, for the refusals the trust manager never sees. */
  public HandshakeFailures handshakeFailures() {
    return handshakeFailures;
  }

  /** For proxies without an identity source: contexts that need the workload identity never get one. */
  public static TlsContextFactory withoutIdentity() {
    IdentityMetrics metrics = new IdentityMetrics(new SimpleMeterRegistry());
    return new TlsContextFactory(new WorkloadIdentities(metrics), metrics, Clock.systemUTC());
  }

  /**
   * @param name the filter chain, for log lines
   * @throws SSLException when static material cannot be loaded
   */
  public SslContext server(String name, DownstreamTlsConfig config) throws SSLException {
    Optional<TrustManager> trust = trustManager(config.peerValidation(), config.trustedCaPem(), PeerSide.DOWNSTREAM);
    if (!config.usesWorkloadCertificate()) {
      return SslContexts.forServer(config, Optional.empty(), trust);
    }
    return new RotatingSslContext(
        "filter chain " + name, false, identities, identity -> SslContexts.forServer(config, credential(identity), trust));
  }

  /**
   * @param name the cluster, for log lines
   * @throws SSLException when static material cannot be loaded
   */
  public SslContext client(String name, UpstreamTlsConfig config) throws SSLException {
    Optional<TrustManager> trust = trustManager(config.peerValidation(), config.trustedCaPem(), PeerSide.UPSTREAM);
    if (!config.workloadCertificate()) {
      return SslContexts.forClient(config, Optional.empty(), trust);
    }
    return new RotatingSslContext(
        "cluster " + name, true, identities, identity -> SslContexts.forClient(config, credential(identity), trust));
  }

  private static Optional<Credential> credential(WorkloadIdentity identity) {
    return Optional.of(new Credential(identity.privateKey(), identity.certificateChain()));
  }

  /** Empty when the TLS library's own verification of a static {@code trusted_ca} is enough. */
  private Optional<TrustManager> trustManager(
      PeerValidation validation, Optional<String> trustedCaPem, PeerSide side) {
    if (!validation.needsPeerVerifier()) {
      return Optional.empty();
    }
    Supplier<TrustBundle> bundle;
    if (validation.workloadBundle()) {
      bundle = identities::bundle;
    } else {
      TrustBundle fixed = TrustBundle.of(Optional.empty(), trustedCaPem.map(TlsContextFactory::certificates).orElse(List.of()));
      bundle = () -> fixed;
    }
    return Optional.of(new SpiffeTrustManager(new PeerVerifier(validation.uriSanMatchers(), clock), bundle, side, metrics));
  }

  private static List<X509Certificate> certificates(String pem) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (CertificateException e) {
      throw new IllegalArgumentException("unreadable trusted_ca: " + e.getMessage(), e);
    }
  }
}
