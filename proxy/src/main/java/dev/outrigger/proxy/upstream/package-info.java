/**
 * Upstream clusters: {@link dev.outrigger.proxy.upstream.UpstreamClusterManager} builds one
 * cluster per {@code ClusterConfig}, keeps its endpoints current ({@code EndpointDiscovery}: static
 * or DNS, swapped whole), balances over them ({@code LoadBalancer}: weighted round robin, least
 * request by two choices, weighted random; lock-free, rebuilt per endpoint set) and connects with
 * the cluster's TLS context, built once per cluster.
 */
package dev.outrigger.proxy.upstream;
