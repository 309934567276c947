package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.random.RandomGenerator;

/**
 * The health of one cluster's endpoints: an active check session per endpoint when the cluster has
 * {@code health_checks}, an outlier monitor per endpoint when it has {@code outlier_detection}.
 * Everything runs on one event loop; {@code onChange} runs there whenever an endpoint turns healthy
 * or unhealthy, so the cluster can rebuild its balancer. An endpoint is followed from {@link #track}
 * until it is retired from the cluster, or until {@link #close}.
 */
public final class ClusterHealth implements AutoCloseable {
  private final String cluster;
  private final HealthCheckConfig checks;
  private final Probe probe;
  private final OutlierDetector detector;
  private final EventLoop loop;
  private final RandomGenerator random;
  private final HealthEvents events;
  private final Runnable onChange;
  private final Map<Endpoint, Tracked> tracked = new HashMap<>();
  private boolean closed;

  private record Tracked(EndpointHealth health, CheckSession session, OutlierMonitor monitor, Runnable forget) {}

  private ClusterHealth(
      ClusterConfig config, Probe probe, EventLoop loop, Ticker ticker, RandomGenerator random,
      HealthEvents events, Runnable onChange) {
    this.cluster = config.name();
    this.checks = config.healthCheck().orElse(null);
    this.probe = probe;
    this.loop = loop;
    this.random = random;
    this.events = events;
    this.onChange = onChange;
    this.detector = config.outlierDetection()
        .map(od -> new OutlierDetector(cluster, od, loop, ticker, random, events))
        .orElse(null);
  }

  /**
   * Health tracking for {@code cluster}, on {@code loop}; checks connect through the cluster (its
   * TLS, its connect timeout).
   */
  public static ClusterHealth start(
      UpstreamCluster cluster, EventLoop loop, HealthEvents events, Runnable onChange) {
    ClusterConfig config = cluster.config();
    Probe probe = config.healthCheck().map(check -> Probes.of(check.probe(), cluster)).orElse(null);
    return start(config, probe, loop, Ticker.systemTicker(), new SplittableRandom(), events, onChange);
  }

  static ClusterHealth start(
      ClusterConfig config, Probe probe, EventLoop loop, Ticker ticker, RandomGenerator random,
      HealthEvents events, Runnable onChange) {
    return new ClusterHealth(config, probe, loop, ticker, random, events, onChange);
  }

  /** Whether the cluster has anything to track; without, {@link #track} need not be called. */
  public boolean enabled() {
    return checks != null || detector != null;
  }

  /**
   * Follows a new endpoint. Any thread; before it returns, an actively checked endpoint is marked
   * unhealthy (Envoy's start state) and outcomes reach its monitor, so a balancer built right after
   * sees both.
   *
   * @return completes once the endpoint has had its first active check (at once without checks),
   *     for Envoy's cluster warming
   */
  public CompletableFuture<Void> track(Endpoint endpoint) {
    if (checks != null) {
      endpoint.markHealthy(false);
    }
    OutlierMonitor monitor = detector == null ? null : detector.newMonitor();
    if (monitor != null) {
      endpoint.reportOutcomesTo(monitor);
    }
    CompletableFuture<Void> checked = new CompletableFuture<>();
    onLoop(loop, () -> begin(endpoint, monitor, checked));
    return checked;
  }

  /**
   * Hands {@code task} to {@code loop}, from any thread. Once the loop shuts down the proxy is
   * closing and health no longer matters, so the task is dropped rather than thrown back at a
   * request or a retirement.
   */
  static void onLoop(EventExecutor loop, Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException closing) {
      // Nothing to track any more.
    }
  }

  private void begin(Endpoint endpoint, OutlierMonitor monitor, CompletableFuture<Void> checked) {
    if (closed || tracked.containsKey(endpoint)) {
      checked.complete(null);
      return;
    }
    EndpointHealth health = new EndpointHealth(endpoint, checks != null, this::changed);
    Runnable onPass = monitor == null ? () -> {} : () -> detector.activeCheckPassed(monitor);
    CheckSession session = checks == null ? null
        : new CheckSession(cluster, checks, probe, health, loop, random, events, onPass);
    if (monitor != null) {
      detector.add(monitor, health);
    }
    Runnable forget = endpoint.whenRetired(() -> onLoop(loop, () -> end(endpoint)));
    tracked.put(endpoint, new Tracked(health, session, monitor, forget));
    countHealthy();
    if (session == null) {
      checked.complete(null);
    } else {
      session.firstResult().whenComplete((ignored, failure) -> checked.complete(null));
      session.start();
    }
  }

  private void end(Endpoint endpoint) {
    Tracked gone = tracked.remove(endpoint);
    if (gone != null) {
      stop(gone);
      countHealthy();
    }
  }

  private void stop(Tracked endpoint) {
    endpoint.forget().run();
    if (endpoint.session() != null) {
      endpoint.session().stop();
    }
    if (endpoint.monitor() != null) {
      detector.remove(endpoint.monitor());
    }
  }

  /** An endpoint turned healthy or unhealthy; the session or the detector that turned it logged why. */
  private void changed() {
    countHealthy();
    onChange.run();
  }

  private void countHealthy() {
    int healthy = 0;
    for (Endpoint endpoint : tracked.keySet()) {
      if (endpoint.isHealthy()) {
        healthy++;
      }
    }
    events.healthyEndpoints(healthy);
  }

  /** Stops every check and the ejection sweeps; endpoints keep their last health. */
  @Override
  public void close() {
    onLoop(loop, this::stopAll);
  }

  private void stopAll() {
    closed = true;
    tracked.values().forEach(this::stop);
    tracked.clear();
    if (detector != null) {
      detector.close();
    }
  }
}
