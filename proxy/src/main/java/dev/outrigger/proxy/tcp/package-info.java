/**
 * {@code envoy.filters.network.tcp_proxy}: {@link dev.outrigger.proxy.tcp.TcpProxy} wires one
 * {@code Relay} per direction between the downstream channel and an upstream channel on the same
 * event loop. Each ended session is handed, as a {@link dev.outrigger.proxy.tcp.TcpSession}, to a
 * {@link dev.outrigger.proxy.tcp.TcpSessionObserver}: the seam for access logs and metrics.
 */
package dev.outrigger.proxy.tcp;
