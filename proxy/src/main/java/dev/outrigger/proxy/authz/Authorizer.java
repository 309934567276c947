package dev.outrigger.proxy.authz;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RBAC filter's rules: the enforced ones decide, the shadow ones are only evaluated, counted
 * and logged (a dry run of a policy change). Without enforced rules everything passes.
 */
final class Authorizer {
  private static final Logger log = LoggerFactory.getLogger(Authorizer.class);

  private final RbacEngine enforced;
  private final RbacEngine shadow;

  private Authorizer(RbacEngine enforced, RbacEngine shadow) {
    this.enforced = enforced;
    this.shadow = shadow;
  }

  static Authorizer compile(Optional<RbacRules> rules, Optional<RbacRules> shadowRules, RbacMeters meters) {
    return new Authorizer(
        rules.map(r -> RbacEngine.compile(r, meters, false)).orElse(null),
        shadowRules.map(r -> RbacEngine.compile(r, meters, true)).orElse(null));
  }

  Decision authorize(AuthzRequest request) {
    if (shadow != null) {
      Decision dryRun = shadow.evaluate(request);
      dryRun.count();
      if (log.isDebugEnabled()) {
        log.debug("shadow {} for {}", dryRun, describe(request));
      }
    }
    if (enforced == null) {
      return Decision.NO_RULES;
    }
    Decision decision = enforced.evaluate(request);
    decision.count();
    if (!decision.allowed() && log.isDebugEnabled()) {
      log.debug("{} for {}", decision, describe(request));
    }
    return decision;
  }

  private static String describe(AuthzRequest request) {
    String peer = request.peer().spiffeId();
    return (peer.isEmpty() ? "unauthenticated peer" : peer) + " at " + request.directRemoteAddress();
  }
}
