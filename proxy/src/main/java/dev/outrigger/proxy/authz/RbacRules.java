package dev.outrigger.proxy.authz;

import java.util.List;

/**
 * {@code config.rbac.v3.RBAC}: what a matching policy means ({@link Action}) and the policies.
 * With {@link Action#ALLOW} a request no policy matches is denied; with {@link Action#DENY} it is
 * allowed.
 */
public record RbacRules(Action action, List<Policy> policies) {
  public RbacRules {
    policies = List.copyOf(policies);
  }

  public enum Action {
    ALLOW,
    DENY
  }
}
