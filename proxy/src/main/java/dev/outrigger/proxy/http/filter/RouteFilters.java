package dev.outrigger.proxy.http.filter;

/**
 * The filters that run for one route (or weighted cluster), in chain order, each already set up
 * with the most specific {@code typed_per_filter_config} that applies: compiled with the route
 * table, carried by the router's decision, so a request looks nothing up.
 */
public final class RouteFilters {
  public static final RouteFilters NONE = new RouteFilters(new HttpFilter[0], DelayScheduler.EVENT_LOOP);

  final HttpFilter[] filters;
  final DelayScheduler scheduler;

  RouteFilters(HttpFilter[] filters, DelayScheduler scheduler) {
    this.filters = filters;
    this.scheduler = scheduler;
  }

  public boolean isEmpty() {
    return filters.length == 0;
  }
}
