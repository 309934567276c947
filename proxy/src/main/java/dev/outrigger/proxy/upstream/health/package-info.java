/**
 * Endpoint health: active health checks (HTTP, gRPC, TCP) and outlier detection (consecutive
 * failures of real requests), combined per endpoint into {@code Endpoint.isHealthy()}.
 *
 * <p>All the health state of one cluster lives on one event loop ({@link ClusterHealth}'s), so it
 * needs no locks; only the outcome counters, bumped by every loop that carries requests, are
 * atomic, and an ejection they trigger is handed to that loop. Time comes from the loop's scheduler
 * and a {@link io.netty.util.concurrent.Ticker}, so tests drive it on a frozen loop without sleeping.
 */
package dev.outrigger.proxy.upstream.health;
