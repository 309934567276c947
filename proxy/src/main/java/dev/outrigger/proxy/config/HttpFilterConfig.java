package dev.outrigger.proxy.config;

/**
 * One entry of a connection manager's {@code http_filters} before the router.
 *
 * @param name the configured name: the key that {@code typed_per_filter_config} uses to reach it
 */
public record HttpFilterConfig(String name, HttpFilterSettings settings) {}
