package dev.outrigger.proxy.http.filter;

import java.util.List;

/**
 * An Envoy bootstrap with one HTTP listener whose HTTP filters and virtual hosts a test writes in
 * YAML flow style ({@code {name: a, typed_config: {...}}}), and one cluster {@code app}.
 */
final class FilterBootstrap {
  static final String FAULT = "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault";
  static final String RATELIMIT = "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";
  static final String HCM_PATH = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config";
  /** Routes everything to {@code app}. */
  static final String ALL_TO_APP = "{name: all, domains: ['*'], routes: [{name: app, match: {prefix: /}, route: {cluster: app}}]}";

  static final String ROUTER =
      "{name: envoy.filters.http.router, typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}";

  private FilterBootstrap() {}

  /**
   * @param filters the {@code http_filters} before the router
   * @param virtualHosts the route configuration's virtual hosts
   */
  static String yaml(int upstreamPort, List<String> filters, List<String> virtualHosts) {
    return withChain(upstreamPort, String.join(", ", filters) + (filters.isEmpty() ? "" : ", ") + ROUTER, virtualHosts);
  }

  /** @param chain all of {@code http_filters}, router included (or not) */
  static String withChain(int upstreamPort, String chain, List<String> virtualHosts) {
    return """
        static_resources:
          listeners:
          - name: test
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: test
                  http_filters: [%s]
                  route_config:
                    virtual_hosts: [%s]
          clusters:
          - name: app
            connect_timeout: 1s
            load_assignment:
              cluster_name: app
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
        """.formatted(chain, String.join(", ", virtualHosts), upstreamPort);
  }

  /** A filter entry: {@code {name: <name>, typed_config: {'@type': <type>, <fields>}}}. */
  static String filter(String name, String type, String fields) {
    return "{name: " + name + ", typed_config: {'@type': " + type + (fields.isEmpty() ? "" : ", " + fields) + "}}";
  }

  /** A {@code typed_per_filter_config} value: {@code {'@type': <type>, <fields>}}. */
  static String override(String type, String fields) {
    return "{'@type': " + type + ", " + fields + "}";
  }
}
