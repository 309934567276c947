package dev.outrigger.proxy;

import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import java.util.List;

/**
 * Tells a change of route tables alone (an RDS update, or an inline {@code route_config} edit)
 * from any other change of a listener: the former is swapped into the running chains, the latter
 * rebuilds them.
 */
final class RouteTables {
  private static final RouteTableConfig BLANK = new RouteTableConfig("", List.of(), HeaderMutations.NONE);

  private RouteTables() {}

  /** Whether {@code a} and {@code b} are HTTP chains that differ in nothing but their route table. */
  static boolean onlyRoutesDiffer(FilterChainConfig a, FilterChainConfig b) {
    return a.filter() instanceof HttpConnectionManagerConfig
        && b.filter() instanceof HttpConnectionManagerConfig
        && withoutRoutes(a).equals(withoutRoutes(b));
  }

  /** Whether {@code a} and {@code b} are equal once every route table is set aside. */
  static boolean equalButRoutes(ListenerConfig a, ListenerConfig b) {
    return withoutRoutes(a).equals(withoutRoutes(b));
  }

  static RouteTableConfig of(FilterChainConfig chain) {
    return ((HttpConnectionManagerConfig) chain.filter()).routeTable();
  }

  private static ListenerConfig withoutRoutes(ListenerConfig listener) {
    return new ListenerConfig(
        listener.name(), listener.address(), listener.inspectors(), listener.inspectionTimeout(),
        listener.filterChains().stream().map(RouteTables::withoutRoutes).toList(),
        listener.defaultFilterChain().map(RouteTables::withoutRoutes), listener.perConnectionBufferLimitBytes());
  }

  private static FilterChainConfig withoutRoutes(FilterChainConfig chain) {
    if (!(chain.filter() instanceof HttpConnectionManagerConfig hcm)) {
      return chain;
    }
    return new FilterChainConfig(chain.name(), chain.match(), chain.tls(), chain.rbacFilters(), hcm.withRouteTable(BLANK));
  }
}
