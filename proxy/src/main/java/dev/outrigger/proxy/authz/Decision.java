package dev.outrigger.proxy.authz;

import io.micrometer.core.instrument.Counter;

/**
 * What an RBAC evaluation decided, made once per policy when the rules are compiled, so an
 * evaluation returns one of these without allocating.
 */
public final class Decision {
  /** The filter has no enforced rules: everything passes, nothing is counted. */
  static final Decision NO_RULES = new Decision(true, "", null);

  private static final String DENIED_DETAIL = "rbac_access_denied_matched_policy[";

  private final boolean allowed;
  private final String policy;
  private final String responseDetail;
  private final Counter counter;

  Decision(boolean allowed, String policy, Counter counter) {
    this.allowed = allowed;
    this.policy = policy;
    this.responseDetail = allowed ? "" : deniedDetail(policy);
    this.counter = counter;
  }

  /**
   * Envoy's response code details (HTTP) and connection termination details (network) of a denial.
   * Whitespace in the policy name becomes {@code _} so access log fields stay one token.
   */
  private static String deniedDetail(String policy) {
    String name = policy.isEmpty() ? "none" : policy.replaceAll("\\s", "_");
    return DENIED_DETAIL + name + "]";
  }

  public boolean allowed() {
    return allowed;
  }

  /** The policy that matched, or empty when none did (ALLOW rules that nothing matched). */
  public String policy() {
    return policy;
  }

  /** {@code rbac_access_denied_matched_policy[<policy or none>]} when denied; else empty. */
  public String responseDetail() {
    return responseDetail;
  }

  void count() {
    if (counter != null) {
      counter.increment();
    }
  }

  @Override
  public String toString() {
    return (allowed ? "allowed" : "denied") + ", matched policy " + (policy.isEmpty() ? "none" : policy);
  }
}
