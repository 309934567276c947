package dev.outrigger.proxy;

import dev.outrigger.proxy.config.RouteTableConfig;
import java.util.Collection;

/** Takes a running HTTP filter chain to a new route table without touching its connections. */
@FunctionalInterface
interface RouteTableSwap {
  /** A TCP chain has no routes: a route-only change never reaches it. */
  RouteTableSwap NONE = (table, clusters) -> {
    throw new IllegalStateException("a TCP filter chain has no route table");
  };

  /**
   * Compiles {@code table} and binds its meters (a bad table fails here); the returned step makes
   * it the table of the chain's open and new connections, for their next requests.
   *
   * @param clusters every cluster of the config: a {@code cluster_header} route may reach any
   */
  Runnable prepare(RouteTableConfig table, Collection<String> clusters);
}
