/**
 * Authorization with Envoy's RBAC semantics: the policy model ({@link RbacRules} of {@link Policy}
 * with {@link Principal}s and {@link Permission}s, translated from {@code config.rbac.v3.RBAC} by
 * the bootstrap), its compiled form ({@link RbacEngine}, evaluated in policy-name order, first match
 * decides), the network filter ({@code envoy.filters.network.rbac}) and the HTTP filter's decision
 * ({@link HttpRbac}).
 *
 * <p>The caller's identity ({@link PeerIdentity}) is read from its certificate once per
 * connection; an evaluation only compares strings and addresses already at hand, and returns a
 * {@link Decision} made when the rules were compiled.
 */
package dev.outrigger.proxy.authz;
