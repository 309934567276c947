package dev.outrigger.proxy.identity;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's current identity, what the SDS secrets {@code default} and {@code ROOTCA} resolve
 * to. An {@link IdentitySource} delivers updates here; each is checked (the leaf is an X.509-SVID,
 * the key is the leaf's, the bundle is not empty) and refused with a log line if not, the previous
 * identity serving on. An accepted one replaces the current behind one volatile reference, read
 * by trust managers at each handshake, and the TLS contexts presenting it are told to rebuild.
 */
public final class WorkloadIdentities implements Consumer<WorkloadIdentity> {
  private static final Logger log = LoggerFactory.getLogger(WorkloadIdentities.class);

  /** An accepted identity with what handshakes need from it, prepared once. */
  private record Current(WorkloadIdentity identity, SpiffeId id, TrustBundle bundle) {}

  private final IdentityMetrics metrics;
  private final List<Consumer<WorkloadIdentity>> onChange = new CopyOnWriteArrayList<>();
  private volatile Current current;

  public WorkloadIdentities(IdentityMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * Checks {@code identity}; when good, has the TLS contexts rebuilt with it first and publishes it
   * after, so that whoever sees it current (the trust managers, {@code /ready}) finds contexts
   * presenting it. Serialized with {@link #subscribe}, so no context misses an update.
   */
  @Override
  public synchronized void accept(WorkloadIdentity identity) {
    Optional<SpiffeId> id = SpiffeId.of(identity.leaf());
    String problem = null;
    if (id.isEmpty()) {
      problem = "the certificate is not an X.509-SVID (it needs exactly one spiffe:// URI SAN), subject "
          + identity.leaf().getSubjectX500Principal();
    } else if (!KeyPairCheck.matches(identity.privateKey(), identity.leaf())) {
      problem = "the private key does not belong to the certificate of " + id.get();
    } else if (identity.trustBundle().isEmpty()) {
      problem = "the trust bundle is empty";
    }
    if (problem != null) {
      metrics.updateRefused();
      log.error("identity update refused, the previous identity keeps serving: {}", problem);
      return;
    }
    onChange.forEach(listener -> listener.accept(identity));
    current = new Current(
        identity, id.get(), TrustBundle.of(Optional.of(id.get().trustDomain()), identity.trustBundle()));
    metrics.updateApplied();
    log.info("identity {} serial {} valid until {}, {} root(s) in the bundle",
        id.get(), identity.leaf().getSerialNumber().toString(16), identity.leaf().getNotAfter().toInstant(),
        identity.trustBundle().size());
  }

  public Optional<WorkloadIdentity> current() {
    Current now = current;
    return now == null ? Optional.empty() : Optional.of(now.identity());
  }

  /** The workload's own SPIFFE ID, once an identity is loaded. */
  public Optional<SpiffeId> spiffeId() {
    Current now = current;
    return now == null ? Optional.empty() : Optional.of(now.id());
  }

  /** The bundle (ROOTCA) with the workload's trust domain; empty before the first identity. */
  TrustBundle bundle() {
    Current now = current;
    return now == null ? TrustBundle.EMPTY : now.bundle();
  }

  /**
   * Gives {@code listener} the current identity, if any, and then every accepted one; returns what
   * unsubscribes it.
   */
  synchronized Runnable subscribe(Consumer<WorkloadIdentity> listener) {
    current().ifPresent(listener);
    onChange.add(listener);
    return () -> onChange.remove(listener);
  }
}
