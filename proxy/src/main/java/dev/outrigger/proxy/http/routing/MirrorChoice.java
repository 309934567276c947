package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.MirrorPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Which of a route's mirror policies a request is copied to: each one's share drawn on its own. */
final class MirrorChoice {
  private final List<MirrorPolicy> policies;
  /** Every policy takes every request: the list is the answer, nothing to draw or allocate. */
  private final boolean takesAll;
  private final IntUnaryOperator draw;

  MirrorChoice(List<MirrorPolicy> policies, IntUnaryOperator draw) {
    this.policies = policies;
    this.takesAll = policies.stream().allMatch(MirrorPolicy::mirrorsAll);
    this.draw = draw;
    for (MirrorPolicy policy : policies) {
      if (policy.denominator() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("mirror denominator " + policy.denominator() + " is too large");
      }
    }
  }

  List<MirrorPolicy> choose() {
    if (takesAll) {
      return policies;
    }
    List<MirrorPolicy> chosen = new ArrayList<>(policies.size());
    for (MirrorPolicy policy : policies) {
      if (policy.mirrorsAll() || draw.applyAsInt((int) policy.denominator()) < policy.numerator()) {
        chosen.add(policy);
      }
    }
    return chosen;
  }
}
