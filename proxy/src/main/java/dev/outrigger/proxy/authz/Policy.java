package dev.outrigger.proxy.authz;

import java.util.List;

/**
 * One named RBAC policy: it matches a request when any of its permissions and any of its
 * principals match.
 */
public record Policy(String name, List<Permission> permissions, List<Principal> principals) {
  public Policy {
    permissions = List.copyOf(permissions);
    principals = List.copyOf(principals);
  }
}
