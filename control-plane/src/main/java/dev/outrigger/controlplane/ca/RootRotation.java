package dev.outrigger.controlplane.ca;

import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.spiffeid.TrustDomain;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The root rotation procedure on a state directory: {@link #prepare} a new root (the bundle
 * carries both, the old one still issues), {@link #activate} it (new leaves are signed by it),
 * {@link #retire} the old one once every leaf it signed has expired. Each step is persisted, so
 * the running control plane applies it on its next signature.
 */
public final class RootRotation {
  /** Self-made roots live ten years; rotate them yearly by this procedure, not by expiry. */
  static final Duration ROOT_LIFETIME = Duration.ofDays(3650);

  private final CaStore store;
  private final Clock clock;

  public RootRotation(StateDir dir, Clock clock) {
    this.store = new CaStore(dir);
    this.clock = clock;
  }

  /** A new EC P-256 root, valid from a little before {@code now} (clock skew) for ten years. */
  public static Authority newSelfSignedRoot(TrustDomain trustDomain, Instant now) {
    Instant start = now.truncatedTo(ChronoUnit.SECONDS);
    return CertificateBuilder.selfSignedRoot(
        trustDomain, start, start.minus(CertificateAuthority.CLOCK_SKEW), start.plus(ROOT_LIFETIME));
  }

  /** Step 1 with a new self-signed root of the state's trust domain. */
  public RootStatus prepareSelfSigned() throws IOException, RotationRefusedException {
    return store.dir().locked(() -> prepare(newSelfSignedRoot(store.load().trustDomain(), clock.instant())));
  }

  /** Step 1 with an operator's authority (see {@link OperatorAuthority}). */
  public RootStatus prepareOperator(Authority authority) throws IOException, RotationRefusedException {
    return store.dir().locked(() -> prepare(authority));
  }

  private RootStatus prepare(Authority authority) throws IOException, RotationRefusedException {
    CaState next = store.load().prepare(authority.id(), clock.instant());
    store.add(authority);
    store.save(next);
    return status(next, authority.id());
  }

  /** Step 2: the prepared root issues. Returns it. */
  public RootStatus activate() throws IOException, RotationRefusedException {
    return store.dir().locked(() -> {
      CaState next = store.load().activate();
      store.save(next);
      return status(next, next.issuing().id());
    });
  }

  /** Step 3: removes the previous roots (and deletes their keys). Returns what was removed. */
  public List<RootStatus> retire(boolean force) throws IOException, RotationRefusedException {
    return store.dir().locked(() -> {
      CaState current = store.load();
      CaState next = current.retire(clock.instant(), force);
      List<RootStatus> removed = new ArrayList<>();
      for (CaState.Entry entry : current.entries()) {
        if (!next.entries().contains(entry)) {
          removed.add(status(current, entry.id()));
        }
      }
      store.save(next);
      for (RootStatus root : removed) {
        store.remove(root.id());
      }
      return removed;
    });
  }

  public List<RootStatus> status() throws IOException {
    return store.dir().<List<RootStatus>, RuntimeException>locked(() -> {
      CaState state = store.load();
      List<RootStatus> roots = new ArrayList<>();
      for (CaState.Entry entry : state.entries()) {
        roots.add(status(state, entry.id()));
      }
      return roots;
    });
  }

  public TrustDomain trustDomain() throws IOException {
    return store.dir().<TrustDomain, RuntimeException>locked(() -> store.load().trustDomain());
  }

  private RootStatus status(CaState state, String id) throws IOException {
    CaState.Entry entry =
        state.entries().stream().filter(candidate -> candidate.id().equals(id)).findFirst().orElseThrow();
    Authority authority = store.authority(id);
    X509Certificate root = authority.root();
    return new RootStatus(id, entry.phase(), Authority.fingerprint(root),
        root.getSubjectX500Principal().getName(), root.getNotAfter().toInstant(),
        !authority.intermediates().isEmpty(), entry.issuedUntil());
  }

  /**
   * One authority as {@code outrigger ctl ca status} shows it.
   *
   * @param issuedUntil the latest not-after it signed; null when it signed nothing yet
   */
  public record RootStatus(String id, CaState.Phase phase, String rootFingerprint, String rootSubject,
      Instant rootNotAfter, boolean viaIntermediate, Instant issuedUntil) {}
}
