package dev.outrigger.proxy.authz;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of one RBAC filter: {@code outrigger_rbac_allowed_total},
 * {@code outrigger_rbac_denied_total} and their {@code outrigger_rbac_shadow_*} twins, labelled
 * with the filter kind, its stat prefix and the matched policy ({@code none} when none matched).
 * Policy names come from config, so the labels stay bounded.
 */
final class RbacMeters {
  private final MeterRegistry registry;
  private final String filter;
  private final String statPrefix;

  /**
   * @param filter {@code network} or {@code http}
   */
  RbacMeters(MeterRegistry registry, String filter, String statPrefix) {
    this.registry = registry;
    this.filter = filter;
    this.statPrefix = statPrefix;
  }

  Counter counter(boolean shadow, boolean allowed, String policy) {
    String name = "outrigger.rbac." + (shadow ? "shadow." : "") + (allowed ? "allowed" : "denied");
    return Counter.builder(name)
        .tag("filter", filter)
        .tag("stat_prefix", statPrefix)
        .tag("policy", policy.isEmpty() ? "none" : policy)
        .register(registry);
  }
}
