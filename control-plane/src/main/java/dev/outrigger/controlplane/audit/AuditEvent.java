package dev.outrigger.controlplane.audit;

import java.time.Instant;

/**
 * One signing decision. A later issue turns these into CloudEvents; keep it flat and small.
 *
 * @param spiffeId the SPIFFE ID asked for; null when the request was unreadable
 * @param caller the credential's public id (a join token's id), never the credential; null if none
 * @param serial lower-case hex; null when refused
 * @param notAfter null when refused
 * @param reason why it was refused; null when issued
 */
public record AuditEvent(Instant time, Result result, String spiffeId, String caller, String serial,
    Instant notAfter, String reason) {
  public enum Result { ISSUED, REFUSED }

  public static AuditEvent issued(Instant time, String spiffeId, String caller, String serial,
      Instant notAfter) {
    return new AuditEvent(time, Result.ISSUED, spiffeId, caller, serial, notAfter, null);
  }

  public static AuditEvent refused(Instant time, String spiffeId, String caller, String reason) {
    return new AuditEvent(time, Result.REFUSED, spiffeId, caller, null, null, reason);
  }
}
