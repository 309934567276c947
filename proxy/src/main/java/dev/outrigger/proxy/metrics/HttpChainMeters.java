package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.stream.StreamListener;
import java.util.Collection;

/** The request meters of one HTTP filter chain, bound to the (route, cluster) pairs of its table. */
public interface HttpChainMeters extends StreamListener {
  /**
   * Binds the meters of {@code table}; the returned step makes them the ones requests are counted
   * with, for a route table swapped in place (see {@code HttpConnectionManager#prepareRoutes}). Run
   * it before the table's own swap: requests then see these meters by the table's volatile write.
   *
   * @param clusters every cluster of the config: a {@code cluster_header} route may reach any
   */
  Runnable prepareRoutes(RouteTableConfig table, Collection<String> clusters);
}
