package dev.outrigger.proxy.http.filter;

import dev.outrigger.proxy.config.HttpFilterSettings;

/**
 * The settings of a filter's {@code typed_config}, able to make the filter: what a bootstrap
 * translator entry produces. One call per connection-manager config.
 */
public interface HttpFilterFactory extends HttpFilterSettings {

  /** @param name the configured filter name, for metrics and messages */
  HttpFilter newFilter(String name, FilterResources resources);
}
