package dev.outrigger.proxy.config;

import java.util.List;

/**
 * A {@code RouteConfiguration}: virtual hosts chosen by authority, then the first matching route.
 */
public record RouteTableConfig(String name, List<VirtualHostConfig> virtualHosts, HeaderMutations headers) {
  public RouteTableConfig {
    virtualHosts = List.copyOf(virtualHosts);
  }
}
