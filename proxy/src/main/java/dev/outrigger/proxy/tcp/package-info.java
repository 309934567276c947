/**
 * {@code envoy.filters.network.tcp_proxy}: {@link dev.outrigger.proxy.tcp.TcpProxy} wires one
 * {@code Relay} per direction between the downstream channel and an upstream channel on the same
 * event loop. Each connection is reported as a {@link dev.outrigger.proxy.stream.StreamInfo} to the
 * connection's stream listener (access logs, metrics).
 */
package dev.outrigger.proxy.tcp;
