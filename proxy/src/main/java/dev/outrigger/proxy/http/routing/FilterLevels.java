package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HttpFilterSettings;
import dev.outrigger.proxy.http.filter.HttpFilterChain;
import dev.outrigger.proxy.http.filter.RouteFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A route's {@code typed_per_filter_config} levels (route, virtual host), resolved against the chain. */
record FilterLevels(HttpFilterChain chain, List<Map<String, HttpFilterSettings>> levels) {

  RouteFilters resolve() {
    return chain.forRoute(levels);
  }

  /** With a weighted cluster's own level in front. */
  RouteFilters resolveWith(Map<String, HttpFilterSettings> moreSpecific) {
    if (moreSpecific.isEmpty()) {
      return resolve();
    }
    List<Map<String, HttpFilterSettings>> all = new ArrayList<>(levels.size() + 1);
    all.add(moreSpecific);
    all.addAll(levels);
    return chain.forRoute(all);
  }
}
