package dev.outrigger.controlplane.ca;

import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Signs X.509-SVIDs with the issuing authority of the state directory. The state is read for
 * every signature, so a rotation step done by {@code outrigger ctl} applies to the next request.
 */
public final class CertificateAuthority {
  /** Leaves start this much before now, so a peer whose clock is a little behind accepts them. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final CaStore store;
  private final TrustDomain trustDomain;
  private final TtlPolicy ttl;
  private final Clock clock;
  private final CsrValidator validator;

  private CertificateAuthority(CaStore store, TrustDomain trustDomain, TtlPolicy ttl, Clock clock) {
    this.store = store;
    this.trustDomain = trustDomain;
    this.ttl = ttl;
    this.clock = clock;
    this.validator = new CsrValidator(trustDomain);
  }

  /**
   * The CA of {@code dir}, creating it on first start with {@code firstAuthority} (a new
   * self-signed root when null). An existing state must be for the same trust domain.
   */
  public static CertificateAuthority open(StateDir dir, TrustDomain trustDomain,
      Authority firstAuthority, TtlPolicy ttl, Clock clock) throws IOException {
    CaStore store = new CaStore(dir);
    dir.locked(() -> {
      if (!store.initialized()) {
        Authority authority = firstAuthority != null
            ? firstAuthority
            : RootRotation.newSelfSignedRoot(trustDomain, clock.instant());
        store.add(authority);
        store.save(CaState.initial(trustDomain, authority.id(), clock.instant()));
        return null;
      }
      if (firstAuthority != null) {
        throw new IOException("the CA in " + dir.path() + " already exists; bring a new root in"
            + " with 'outrigger ctl ca rotate prepare --root-cert ...' instead");
      }
      TrustDomain existing = store.load().trustDomain();
      if (!existing.equals(trustDomain)) {
        throw new IOException("the CA in " + dir.path() + " is for trust domain " + existing.getName()
            + ", not " + trustDomain.getName());
      }
      return null;
    });
    return new CertificateAuthority(store, trustDomain, ttl, clock);
  }

  public TrustDomain trustDomain() {
    return trustDomain;
  }

  /** Checks a PEM CSR (signature, one SPIFFE ID SAN of our trust domain, key type). */
  public CertificateRequest parse(String csrPem) throws CsrRejectedException {
    return validator.validate(csrPem);
  }

  /** Signs a checked request for {@code requestedTtl} (null or zero: the default; capped). */
  public IssuedCertificate issue(CertificateRequest request, Duration requestedTtl) throws IOException {
    return issue(request.publicKey(), request.spiffeId(), List.of(), ttl.lifetime(requestedTtl));
  }

  /**
   * A certificate for the control plane's own TLS server: its SPIFFE ID plus DNS and IP names,
   * so that clients can check it by hostname as well as by SPIFFE ID.
   */
  public IssuedCertificate issueServing(PublicKey key, SpiffeId spiffeId, List<String> dnsNames,
      List<String> ipAddresses) throws IOException {
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
    ipAddresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
    return issue(key, spiffeId, names, ttl.defaultTtl());
  }

  /** The trust bundle as it is now. */
  public List<X509Certificate> bundle() throws IOException {
    return store.dir().locked(() -> store.bundle(store.load()));
  }

  private IssuedCertificate issue(PublicKey key, SpiffeId spiffeId, List<GeneralName> otherNames,
      Duration lifetime) throws IOException {
    return store.dir().locked(() -> {
      CaState state = store.load();
      String id = state.issuing().id();
      Authority authority = store.authority(id);
      // Certificates hold whole seconds; the recorded not-after must equal the leaf's.
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      Instant notAfter = earliest(now.plus(lifetime), authority);
      X509Certificate leaf =
          CertificateBuilder.leaf(authority, key, spiffeId, otherNames, now.minus(CLOCK_SKEW), notAfter);
      CaState next = state.recordIssued(id, notAfter);
      store.save(next);
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(leaf);
      chain.addAll(authority.intermediates());
      return new IssuedCertificate(spiffeId, chain, store.bundle(next));
    });
  }

  /** A leaf never outlives a certificate of its chain: verifiers would reject it early anyway. */
  private static Instant earliest(Instant wanted, Authority authority) {
    Instant limit = wanted;
    for (X509Certificate certificate : authority.signingPath()) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      if (notAfter.isBefore(limit)) {
        limit = notAfter;
      }
    }
    return limit;
  }
}
