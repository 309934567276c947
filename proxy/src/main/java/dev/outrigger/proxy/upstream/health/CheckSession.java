package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.upstream.Endpoint;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one endpoint again and again on the cluster's health loop: the first check at once, the
 * next an {@code interval} (plus jitter) after the previous one ended. Envoy's rules for the
 * verdict: the endpoint starts unhealthy and its first pass makes it healthy; later it needs
 * {@code healthy_threshold} passes in a row. An answer that says unhealthy fails it at once; a
 * network failure or timeout only after {@code unhealthy_threshold} in a row.
 */
final class CheckSession {
  private static final Logger log = LoggerFactory.getLogger(CheckSession.class);

  private final String cluster;
  private final HealthCheckConfig config;
  private final Probe probe;
  private final EndpointHealth health;
  private final EventLoop loop;
  private final RandomGenerator random;
  private final HealthEvents events;
  private final Runnable onPass;
  private boolean firstCheck = true;
  private int passesInARow;
  private int failuresInARow;
  private boolean stopped;
  private ScheduledFuture<?> next;
  private Promise<ProbeResult> inFlight;
  private final CompletableFuture<Void> firstResult = new CompletableFuture<>();

  CheckSession(
      String cluster,
      HealthCheckConfig config,
      Probe probe,
      EndpointHealth health,
      EventLoop loop,
      RandomGenerator random,
      HealthEvents events,
      Runnable onPass) {
    this.cluster = cluster;
    this.config = config;
    this.probe = probe;
    this.health = health;
    this.loop = loop;
    this.random = random;
    this.events = events;
    this.onPass = onPass;
  }

  void start() {
    check();
  }

  /** Completes with the first check's verdict, or when the session stops before it. */
  CompletableFuture<Void> firstResult() {
    return firstResult;
  }

  /** Cancels the next check, and the one in flight (its probe then closes its connection). */
  void stop() {
    stopped = true;
    firstResult.complete(null);
    if (next != null) {
      next.cancel(false);
    }
    if (inFlight != null) {
      inFlight.cancel(false);
    }
  }

  private void check() {
    if (stopped) {
      return;
    }
    Promise<ProbeResult> attempt = loop.newPromise();
    inFlight = attempt;
    ScheduledFuture<?> timeout =
        loop.schedule(() -> attempt.trySuccess(ProbeResult.TIMEOUT), config.timeout().toNanos(), TimeUnit.NANOSECONDS);
    attempt.addListener((Future<ProbeResult> done) -> {
      timeout.cancel(false);
      if (!done.isCancelled() && !stopped) {
        inFlight = null;
        record(done.getNow());
        firstResult.complete(null);
        next = loop.schedule(this::check, nextIntervalNanos(), TimeUnit.NANOSECONDS);
      }
    });
    Endpoint endpoint = health.endpoint();
    try {
      probe.check(endpoint, loop, attempt);
    } catch (RuntimeException e) {
      attempt.trySuccess(ProbeResult.NETWORK_FAILURE);
    }
  }

  private void record(ProbeResult result) {
    log.debug("cluster {}: endpoint {} check: {}", cluster, health.endpoint(), result.label());
    events.checked(result);
    boolean first = firstCheck;
    firstCheck = false;
    if (result == ProbeResult.HEALTHY) {
      failuresInARow = 0;
      if (health.failingChecks() && (first || ++passesInARow >= config.healthyThreshold())) {
        passesInARow = 0;
        log.info("cluster {}: endpoint {} passes its health checks", cluster, health.endpoint());
        health.failingChecks(false);
      }
      onPass.run();
      return;
    }
    passesInARow = 0;
    if (health.failingChecks()) {
      return;
    }
    if (result == ProbeResult.UNHEALTHY || ++failuresInARow >= config.unhealthyThreshold()) {
      failuresInARow = 0;
      log.warn("cluster {}: endpoint {} fails its health checks ({})", cluster, health.endpoint(), result.label());
      health.failingChecks(true);
    }
  }

  /** Envoy's jitter: up to {@code interval_jitter_percent} of the interval, plus up to {@code interval_jitter}. */
  private long nextIntervalNanos() {
    long interval = config.interval().toNanos();
    long byPercent = config.intervalJitterPercent() * interval / 100;
    long nanos = interval;
    if (byPercent > 0) {
      nanos += random.nextLong(byPercent);
    }
    if (config.intervalJitter().toNanos() > 0) {
      nanos += random.nextLong(config.intervalJitter().toNanos());
    }
    return nanos;
  }
}
