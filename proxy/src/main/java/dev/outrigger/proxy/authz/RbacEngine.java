package dev.outrigger.proxy.authz;

import java.util.Comparator;
import java.util.List;

/**
 * Compiled {@link RbacRules}. Policies are tried in the order of their names (Envoy keeps them in
 * a sorted map), and the first that matches decides: allowed under ALLOW, denied under DENY. When
 * none matches, the opposite.
 */
final class RbacEngine {
  private final Rule[] policies;
  private final Decision[] onMatch;
  private final Decision noMatch;

  private RbacEngine(Rule[] policies, Decision[] onMatch, Decision noMatch) {
    this.policies = policies;
    this.onMatch = onMatch;
    this.noMatch = noMatch;
  }

  static RbacEngine compile(RbacRules rules, RbacMeters meters, boolean shadow) {
    List<Policy> sorted = rules.policies().stream().sorted(Comparator.comparing(Policy::name)).toList();
    boolean allowIfMatched = rules.action() == RbacRules.Action.ALLOW;
    Rule[] policies = new Rule[sorted.size()];
    Decision[] onMatch = new Decision[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      Policy policy = sorted.get(i);
      policies[i] = policy(policy);
      onMatch[i] = new Decision(allowIfMatched, policy.name(), meters.counter(shadow, allowIfMatched, policy.name()));
    }
    Decision noMatch = new Decision(!allowIfMatched, "", meters.counter(shadow, !allowIfMatched, ""));
    return new RbacEngine(policies, onMatch, noMatch);
  }

  private static Rule policy(Policy policy) {
    Rule permissions = Rule.any(policy.permissions().stream().map(Rule::of).toArray(Rule[]::new));
    Rule principals = Rule.any(policy.principals().stream().map(Rule::of).toArray(Rule[]::new));
    return request -> permissions.matches(request) && principals.matches(request);
  }

  Decision evaluate(AuthzRequest request) {
    for (int i = 0; i < policies.length; i++) {
      if (policies[i].matches(request)) {
        return onMatch[i];
      }
    }
    return noMatch;
  }
}
