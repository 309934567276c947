/**
 * The proxy's runtime configuration: immutable records translated from Envoy v3 protos.
 *
 * <p>A {@link dev.outrigger.proxy.config.ProxyConfig} is one consistent snapshot. It is swapped
 * atomically (a volatile reference); new connections and requests read the newest one, in-flight
 * work finishes on the snapshot it started with. Nothing here refers back to protobuf types, so the
 * data plane never parses or walks a proto on the hot path.
 */
package dev.outrigger.proxy.config;
