package dev.outrigger.controlplane.model;

import dev.outrigger.controlplane.model.AuthorizationPolicy.Action;
import dev.outrigger.controlplane.model.AuthorizationPolicy.Operation;
import dev.outrigger.controlplane.model.AuthorizationPolicy.Rule;
import dev.outrigger.controlplane.model.AuthorizationPolicy.Source;
import dev.outrigger.controlplane.model.MeshConfig.InboundPolicy;
import java.util.List;
import java.util.function.Predicate;

/**
 * The authorization policies that govern one service's inbound traffic, in the order they are
 * decided. A request is
 * <ol>
 *   <li>denied if an operator DENY policy (root namespace) matches it, else</li>
 *   <li>denied if an application DENY policy (the service's namespace) matches it, else</li>
 *   <li>denied if operator ALLOW policies apply and none matches, else</li>
 *   <li>denied if application ALLOW policies apply and none matches, else</li>
 *   <li>allowed if some ALLOW policy applied; with none, the mesh's default inbound policy decides.</li>
 * </ol>
 * So DENY wins over ALLOW, and an application can narrow but never widen what the operator allows
 * or loosen what the operator denies. For Envoy this is a chain of HTTP RBAC filters, each of which
 * must pass: one DENY filter (operator then application policies), one ALLOW filter per non-empty
 * ALLOW tier, or, when both tiers are empty and the default is DENY, an ALLOW filter with no policies.
 *
 * @param trustDomain the mesh's, against which {@code namespaces} and {@code serviceAccounts} match
 */
public record EffectivePolicy(ServiceKey service, String trustDomain,
    List<AuthorizationPolicy> operatorDenies, List<AuthorizationPolicy> applicationDenies,
    List<AuthorizationPolicy> operatorAllows, List<AuthorizationPolicy> applicationAllows,
    InboundPolicy meshDefault) {
  public EffectivePolicy {
    operatorDenies = List.copyOf(operatorDenies);
    applicationDenies = List.copyOf(applicationDenies);
    operatorAllows = List.copyOf(operatorAllows);
    applicationAllows = List.copyOf(applicationAllows);
  }

  /** A request as authorization sees it; {@code peer} is the caller's SPIFFE ID, "" when unauthenticated. */
  public record Request(String peer, String path, String method, int port) {}

  /** The verdict and the policy (or default) that decided it, for tests and explanations. */
  public record Decision(boolean allowed, String reason) {}

  /** The policies applying to {@code service}: those targeting it, and untargeted ones of its namespace or the root namespace. */
  public static EffectivePolicy forService(MeshModel model, ServiceKey service) {
    MeshConfig mesh = model.meshConfig();
    String root = mesh.rootNamespace();
    List<AuthorizationPolicy> applying = model.authorizationPolicies().stream()
        .filter(policy -> policy.target().map(service::equals).orElse(
            policy.metadata().namespace().equals(service.namespace())
                || policy.metadata().namespace().equals(root)))
        .toList();
    Predicate<AuthorizationPolicy> operator = policy -> policy.metadata().namespace().equals(root);
    return new EffectivePolicy(service, mesh.trustDomain(),
        select(applying, operator, Action.DENY), select(applying, operator.negate(), Action.DENY),
        select(applying, operator, Action.ALLOW), select(applying, operator.negate(), Action.ALLOW),
        mesh.defaultInboundPolicy());
  }

  private static List<AuthorizationPolicy> select(List<AuthorizationPolicy> policies,
      Predicate<AuthorizationPolicy> tier, Action action) {
    return policies.stream().filter(tier).filter(policy -> policy.action() == action).toList();
  }

  /** Decides one request as the translated RBAC filters will. */
  public Decision evaluate(Request request) {
    for (List<AuthorizationPolicy> denies : List.of(operatorDenies, applicationDenies)) {
      for (AuthorizationPolicy policy : denies) {
        if (matches(policy, request)) {
          return new Decision(false, "denied by " + policy.id());
        }
      }
    }
    if (!operatorAllows.isEmpty() && operatorAllows.stream().noneMatch(p -> matches(p, request))) {
      return new Decision(false, "no operator ALLOW policy matches");
    }
    if (!applicationAllows.isEmpty()
        && applicationAllows.stream().noneMatch(p -> matches(p, request))) {
      return new Decision(false, "no application ALLOW policy matches");
    }
    if (operatorAllows.isEmpty() && applicationAllows.isEmpty()) {
      return new Decision(meshDefault == InboundPolicy.ALLOW, "mesh default " + meshDefault);
    }
    return new Decision(true, "allowed by policy");
  }

  private boolean matches(AuthorizationPolicy policy, Request request) {
    return policy.rules().stream().anyMatch(rule -> matches(rule, request));
  }

  private boolean matches(Rule rule, Request request) {
    return (rule.from().isEmpty() || rule.from().stream().anyMatch(s -> matches(s, request.peer())))
        && (rule.to().isEmpty() || rule.to().stream().anyMatch(o -> matches(o, request)));
  }

  private boolean matches(Source source, String peer) {
    String prefix = "spiffe://" + trustDomain + "/ns/";
    String workload = peer.startsWith(prefix) ? peer.substring(prefix.length()) : null;
    String[] nsAndSa = workload == null ? null : workload.split("/sa/", 2);
    boolean workloadId = nsAndSa != null && nsAndSa.length == 2 && !nsAndSa[0].contains("/");
    return anyOrEmpty(source.spiffeIds(), glob -> Glob.matches(glob, peer))
        && anyOrEmpty(source.namespaces(), ns -> workloadId && ns.equals(nsAndSa[0]))
        && anyOrEmpty(source.serviceAccounts(),
            sa -> workloadId && sa.equals(nsAndSa[0] + "/" + nsAndSa[1]));
  }

  private static boolean matches(Operation operation, Request request) {
    return anyOrEmpty(operation.paths(), glob -> Glob.matches(glob, request.path()))
        && anyOrEmpty(operation.methods(), request.method()::equals)
        && anyOrEmpty(operation.ports(), port -> port == request.port());
  }

  private static <T> boolean anyOrEmpty(List<T> values, Predicate<T> match) {
    return values.isEmpty() || values.stream().anyMatch(match);
  }
}
