package dev.outrigger.proxy.config;

/**
 * The translated {@code typed_config} of an HTTP filter, or of its per-route override in {@code
 * typed_per_filter_config}: a record owned by the filter's own package. The config model only
 * carries it; the filter that made it reads it (see {@code dev.outrigger.proxy.http.filter}).
 */
public interface HttpFilterSettings {}
