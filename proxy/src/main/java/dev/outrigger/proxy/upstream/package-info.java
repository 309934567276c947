/**
 * Upstream clusters: {@link dev.outrigger.proxy.upstream.UpstreamClusterManager} builds one
 * cluster per {@code ClusterConfig}, keeps its endpoints current ({@code EndpointDiscovery}: static
 * or DNS, swapped whole), balances over them ({@code LoadBalancer}: weighted round robin with a
 * cursor per event loop, least request by N choices, weighted random, ring hash and Maglev by the
 * request hash, peak-EWMA by latency estimate times load; under {@code Priorities}, Envoy's
 * priority load and panic; lock-free, rebuilt per endpoint set and on every health change) and connects with the cluster's TLS context, built once per cluster, the handshake
 * bounded by the connect timeout. An endpoint that leaves the set (or whose cluster closes) is
 * retired: {@link dev.outrigger.proxy.upstream.Endpoint#whenRetired} tells the connection pools.
 */
package dev.outrigger.proxy.upstream;
