package dev.outrigger.controlplane.ca;

import io.spiffe.spiffeid.TrustDomain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CA's roots and which one issues, as a small state machine. A rotation walks one authority
 * through PREPARED (in the bundle, not issuing) → ISSUING, and the one before it through
 * ISSUING → PREVIOUS (in the bundle until every leaf it signed has expired) → removed.
 *
 * @param entries exactly one ISSUING, at most one PREPARED, any number of PREVIOUS
 */
public record CaState(TrustDomain trustDomain, List<Entry> entries) {
  public enum Phase { PREPARED, ISSUING, PREVIOUS }

  /**
   * @param issuedUntil the latest not-after of any leaf this authority signed; null if none yet
   */
  public record Entry(String id, Phase phase, Instant createdAt, Instant issuedUntil) {
    Entry withPhase(Phase next) {
      return new Entry(id, next, createdAt, issuedUntil);
    }
  }

  public CaState {
    entries = List.copyOf(entries);
  }

  static CaState initial(TrustDomain trustDomain, String id, Instant now) {
    return new CaState(trustDomain, List.of(new Entry(id, Phase.ISSUING, now, null)));
  }

  public Entry issuing() {
    return find(Phase.ISSUING).orElseThrow(() -> new IllegalStateException("no issuing root"));
  }

  Optional<Entry> find(Phase phase) {
    return entries.stream().filter(entry -> entry.phase() == phase).findFirst();
  }

  /** Step 1: a new authority joins the bundle; the current one keeps issuing. */
  CaState prepare(String id, Instant now) throws RotationRefusedException {
    Optional<Entry> prepared = find(Phase.PREPARED);
    if (prepared.isPresent()) {
      throw new RotationRefusedException("root " + prepared.get().id()
          + " is already prepared; activate it before preparing another");
    }
    if (entries.stream().anyMatch(entry -> entry.id().equals(id))) {
      throw new RotationRefusedException("authority " + id + " is already in the bundle");
    }
    List<Entry> next = new ArrayList<>(entries);
    next.add(new Entry(id, Phase.PREPARED, now, null));
    return new CaState(trustDomain, next);
  }

  /**
   * Step 2: the prepared authority issues from now on; the old one stays in the bundle. Run it
   * only once every proxy has the new bundle (the prepared root): a proxy that lacks it would
   * reject leaves signed by it.
   */
  CaState activate() throws RotationRefusedException {
    if (find(Phase.PREPARED).isEmpty()) {
      throw new RotationRefusedException("no prepared root to activate; run 'rotate prepare' first");
    }
    List<Entry> next = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.phase() == Phase.ISSUING) {
        next.add(entry.withPhase(Phase.PREVIOUS));
      } else if (entry.phase() == Phase.PREPARED) {
        next.add(entry.withPhase(Phase.ISSUING));
      } else {
        next.add(entry);
      }
    }
    return new CaState(trustDomain, next);
  }

  /**
   * Step 3: the previous authorities leave the bundle, refused while a leaf they signed may still
   * be valid (then proxies would reject a peer whose certificate has not been renewed yet).
   */
  CaState retire(Instant now, boolean force) throws RotationRefusedException {
    List<Entry> previous = entries.stream().filter(entry -> entry.phase() == Phase.PREVIOUS).toList();
    if (previous.isEmpty()) {
      throw new RotationRefusedException("no previous root to retire; run 'rotate activate' first");
    }
    for (Entry entry : previous) {
      if (!force && entry.issuedUntil() != null && now.isBefore(entry.issuedUntil())) {
        throw new RotationRefusedException("root " + entry.id() + " signed leaves valid until "
            + entry.issuedUntil() + "; retire after that (or --force, breaking those workloads)");
      }
    }
    return new CaState(trustDomain,
        entries.stream().filter(entry -> entry.phase() != Phase.PREVIOUS).toList());
  }

  /** Remembers the latest not-after an authority signed, the earliest moment it may be retired. */
  CaState recordIssued(String id, Instant notAfter) {
    List<Entry> next = new ArrayList<>();
    for (Entry entry : entries) {
      boolean later = entry.issuedUntil() == null || notAfter.isAfter(entry.issuedUntil());
      next.add(entry.id().equals(id) && later
          ? new Entry(entry.id(), entry.phase(), entry.createdAt(), notAfter)
          : entry);
    }
    return new CaState(trustDomain, next);
  }
}
