/**
 * Upstream clusters: {@link dev.outrigger.proxy.upstream.UpstreamClusterManager} builds one
 * cluster per {@code ClusterConfig}, keeps its endpoints current ({@code EndpointDiscovery}: static
 * or DNS, swapped whole), balances over them ({@code LoadBalancer}: weighted round robin with a
 * cursor per event loop, least request by two choices, weighted random; lock-free, rebuilt per
 * endpoint set) and connects with the cluster's TLS context, built once per cluster, the handshake
 * bounded by the connect timeout. An endpoint that leaves the set (or whose cluster closes) is
 * retired: {@link dev.outrigger.proxy.upstream.Endpoint#whenRetired} tells the connection pools.
 */
package dev.outrigger.proxy.upstream;
