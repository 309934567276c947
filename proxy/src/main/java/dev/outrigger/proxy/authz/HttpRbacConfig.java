package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.http.filter.FilterResources;
import dev.outrigger.proxy.http.filter.HttpFilter;
import dev.outrigger.proxy.http.filter.HttpFilterFactory;
import java.util.Optional;

/**
 * {@code envoy.filters.http.rbac} ({@code extensions.filters.http.rbac.v3.RBAC}); also what a route's
 * {@code RBACPerRoute} translates to. Its counters are labelled with the connection manager's
 * {@code stat_prefix}.
 *
 * @param rules enforced; without them every request passes
 * @param shadowRules evaluated and counted, never enforced
 */
public record HttpRbacConfig(Optional<RbacRules> rules, Optional<RbacRules> shadowRules) implements HttpFilterFactory {
  /** What a route's {@code RBACPerRoute} without {@code rbac} means: the filter is off there. */
  public static final HttpRbacConfig DISABLED = new HttpRbacConfig(Optional.empty(), Optional.empty());

  @Override
  public HttpFilter newFilter(String name, FilterResources resources) {
    return HttpRbacFilter.of(this, resources);
  }
}
