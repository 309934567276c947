package dev.outrigger.proxy.authz;

import java.util.Optional;

/**
 * {@code envoy.filters.network.rbac}: checks each connection once, before the chain's terminal
 * filter sees it.
 *
 * @param rules enforced; without them every connection passes
 * @param shadowRules evaluated and counted, never enforced
 */
public record NetworkRbacConfig(String statPrefix, Optional<RbacRules> rules, Optional<RbacRules> shadowRules) {}
