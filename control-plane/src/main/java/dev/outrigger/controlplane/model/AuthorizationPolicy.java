package dev.outrigger.controlplane.model;

import java.util.List;
import java.util.Optional;

/**
 * Who may call a service ({@code outrigger.dev/v1alpha1}). A policy applies to its
 * {@code targetRef} Service, or without one to every service of its namespace (in the root
 * namespace: of the whole mesh). It matches a request when one of its {@code rules} does.
 * How policies combine: {@link EffectivePolicy}.
 */
public record AuthorizationPolicy(Metadata metadata, Action action, Optional<ServiceKey> target,
    List<Rule> rules) implements Resource {
  public AuthorizationPolicy {
    rules = List.copyOf(rules);
  }

  public enum Action { ALLOW, DENY }

  /**
   * Matches when the caller matches one {@code from} entry and the request one {@code to} entry;
   * an empty list matches anything, so {@code {}} matches every request.
   */
  public record Rule(List<Source> from, List<Operation> to) {
    public Rule {
      from = List.copyOf(from);
      to = List.copyOf(to);
    }
  }

  /**
   * A caller: every non-empty list must match (AND), any element of a list (OR).
   *
   * @param spiffeIds peer SPIFFE IDs; {@code *} matches any run of characters
   * @param namespaces the peer's namespace, {@code spiffe://<trust domain>/ns/<namespace>/..}
   * @param serviceAccounts {@code <namespace>/<service account>}
   */
  public record Source(List<String> spiffeIds, List<String> namespaces,
      List<String> serviceAccounts) {
    public Source {
      spiffeIds = List.copyOf(spiffeIds);
      namespaces = List.copyOf(namespaces);
      serviceAccounts = List.copyOf(serviceAccounts);
    }
  }

  /**
   * What is called: every non-empty list must match (AND), any element of a list (OR).
   *
   * @param paths request paths (without query); {@code *} matches any run of characters
   * @param methods HTTP methods, upper case
   * @param ports the service ports called
   */
  public record Operation(List<String> paths, List<String> methods, List<Integer> ports) {
    public Operation {
      paths = List.copyOf(paths);
      methods = List.copyOf(methods);
      ports = List.copyOf(ports);
    }
  }

  @Override
  public Kind kind() {
    return Kind.AUTHORIZATION_POLICY;
  }
}
