package dev.outrigger.proxy.authz;

import java.util.Optional;

/**
 * {@code envoy.filters.http.rbac} ({@code extensions.filters.http.rbac.v3.RBAC}).
 *
 * @param rules enforced; without them every request passes
 * @param shadowRules evaluated and counted, never enforced
 */
public record HttpRbacConfig(Optional<RbacRules> rules, Optional<RbacRules> shadowRules) {
  /** What a route's {@code RBACPerRoute} without {@code rbac} means: the filter is off there. */
  public static final HttpRbacConfig DISABLED = new HttpRbacConfig(Optional.empty(), Optional.empty());
}
