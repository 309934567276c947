package dev.outrigger.proxy.config;

/**
 * One of a route's {@code request_mirror_policies}: a copy of {@code numerator/denominator} of the
 * route's requests goes to {@code cluster}, and its response is dropped.
 *
 * @param shadowHostSuffix the copy's authority gets {@code -shadow} (before any port), Envoy's
 *     default; false with {@code disable_shadow_host_suffix_append}
 */
public record MirrorPolicy(String cluster, long numerator, long denominator, boolean shadowHostSuffix) {

  public MirrorPolicy {
    if (denominator <= 0 || numerator < 0) {
      throw new IllegalArgumentException("mirror fraction " + numerator + "/" + denominator);
    }
  }

  /** Whether every request is mirrored (no draw needed). */
  public boolean mirrorsAll() {
    return numerator >= denominator;
  }
}
