package dev.outrigger.proxy.http.filter;

import dev.outrigger.proxy.config.HttpFilterConfig;
import dev.outrigger.proxy.config.HttpFilterSettings;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP filters of one connection-manager config, made once per snapshot, and what each route
 * makes of them: {@link #forRoute} resolves the route's {@code typed_per_filter_config} levels
 * while the route table compiles.
 */
public final class HttpFilterChain {
  public static final HttpFilterChain NONE = new HttpFilterChain(new String[0], new HttpFilter[0], DelayScheduler.EVENT_LOOP);

  private final String[] names;
  private final HttpFilter[] filters;
  private final RouteFilters defaults;
  /** One filter per override, so every route an override covers shares it (and its state). */
  private final Map<HttpFilterSettings, HttpFilter> overridden = new IdentityHashMap<>();

  private HttpFilterChain(String[] names, HttpFilter[] filters, DelayScheduler scheduler) {
    this.names = names;
    this.filters = filters;
    this.defaults = new RouteFilters(filters, scheduler);
  }

  /**
   * Makes each filter from its settings.
   *
   * @throws IllegalArgumentException when settings cannot make a filter (a translator that
   *     produced per-route settings for a chain entry: a bug, not a config error)
   */
  public static HttpFilterChain build(List<HttpFilterConfig> configs, FilterResources resources) {
    String[] names = new String[configs.size()];
    HttpFilter[] filters = new HttpFilter[configs.size()];
    for (int i = 0; i < filters.length; i++) {
      HttpFilterConfig config = configs.get(i);
      if (!(config.settings() instanceof HttpFilterFactory factory)) {
        throw new IllegalArgumentException("HTTP filter " + config.name() + " has settings that make no filter: "
            + config.settings().getClass().getName());
      }
      names[i] = config.name();
      filters[i] = factory.newFilter(config.name(), resources);
    }
    return new HttpFilterChain(names, filters, resources.scheduler());
  }

  /**
   * The filters of a route given its {@code typed_per_filter_config} levels, most specific first
   * (weighted cluster, route, virtual host); for each filter the first level that names it wins.
   * Called only while a route table compiles, on one thread.
   */
  public synchronized RouteFilters forRoute(List<Map<String, HttpFilterSettings>> levels) {
    HttpFilter[] resolved = null;
    for (int i = 0; i < filters.length; i++) {
      HttpFilterSettings override = mostSpecific(names[i], levels);
      if (override != null) {
        if (resolved == null) {
          resolved = filters.clone();
        }
        HttpFilter filter = filters[i];
        resolved[i] = overridden.computeIfAbsent(override, filter::forRoute);
      }
    }
    return resolved == null ? defaults : new RouteFilters(resolved, defaults.scheduler);
  }

  private static HttpFilterSettings mostSpecific(String name, List<Map<String, HttpFilterSettings>> levels) {
    for (Map<String, HttpFilterSettings> level : levels) {
      HttpFilterSettings settings = level.get(name);
      if (settings != null) {
        return settings;
      }
    }
    return null;
  }
}
