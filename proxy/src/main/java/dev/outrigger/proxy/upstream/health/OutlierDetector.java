package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.config.OutlierDetectionConfig;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ejects endpoints whose monitors report a run of failures, and returns them after their time, as
 * Envoy's outlier detector does: an ejection is enforced with its {@code enforcing_*} probability
 * and only while the ejected share stays within {@code max_ejection_percent}; it lasts
 * {@code base_ejection_time} times the endpoint's ejection count (capped by
 * {@code max_ejection_time}) and ends at the first {@code interval} tick after that; every tick an
 * endpoint spends back in service after its first full interval lowers the count by one. Confined
 * to one loop.
 */
final class OutlierDetector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

  private final String cluster;
  private final OutlierDetectionConfig config;
  private final EventExecutor loop;
  private final Ticker ticker;
  private final RandomGenerator random;
  private final HealthEvents events;
  private final Set<OutlierMonitor> monitors = new LinkedHashSet<>();
  private final ScheduledFuture<?> sweeps;
  private int ejectedCount;

  OutlierDetector(
      String cluster,
      OutlierDetectionConfig config,
      EventExecutor loop,
      Ticker ticker,
      RandomGenerator random,
      HealthEvents events) {
    this.cluster = cluster;
    this.config = config;
    this.loop = loop;
    this.ticker = ticker;
    this.random = random;
    this.events = events;
    long interval = config.interval().toNanos();
    this.sweeps = loop.scheduleAtFixedRate(this::sweep, interval, interval, TimeUnit.NANOSECONDS);
  }

  /** A monitor for a new endpoint, safe to hand to any thread; {@link #add} it on the loop. */
  OutlierMonitor newMonitor() {
    return new OutlierMonitor(config, (monitor, reason) -> ClusterHealth.onLoop(loop, () -> detected(monitor, reason)));
  }

  void add(OutlierMonitor monitor, EndpointHealth health) {
    monitor.health = health;
    monitors.add(monitor);
  }

  void remove(OutlierMonitor monitor) {
    if (monitors.remove(monitor) && monitor.health.ejected()) {
      ejectedCount--;
    }
  }

  /** Envoy's default {@code successful_active_health_check_uneject_host}: a passed check ends an ejection. */
  void activeCheckPassed(OutlierMonitor monitor) {
    if (monitor.health.ejected()) {
      bringBack(monitor, "it passed an active health check");
    }
  }

  private void detected(OutlierMonitor monitor, EjectionReason reason) {
    if (!monitors.contains(monitor) || monitor.health.ejected()) {
      return;
    }
    if (random.nextInt(100) >= enforcing(reason)) {
      log.debug("cluster {}: endpoint {} has {}, ejection not enforced",
          cluster, monitor.health.endpoint(), reason.label());
      return;
    }
    if (!roomForOneMore()) {
      log.warn("cluster {}: endpoint {} has {} but max_ejection_percent {} is reached; not ejected",
          cluster, monitor.health.endpoint(), reason.label(), config.maxEjectionPercent());
      return;
    }
    long base = config.baseEjectionTime().toNanos();
    if (base * monitor.ejections < config.maxEjectionTime().toNanos()) {
      monitor.ejections++;
    }
    monitor.ejectedAtNanos = ticker.nanoTime();
    ejectedCount++;
    events.ejected(reason);
    log.warn("cluster {}: endpoint {} ejected for {} ({} ejection(s) in a row, {} ms)",
        cluster, monitor.health.endpoint(), reason.label(), monitor.ejections,
        TimeUnit.NANOSECONDS.toMillis(ejectionNanos(monitor)));
    monitor.health.ejected(true);
  }

  private int enforcing(EjectionReason reason) {
    switch (reason) {
      case CONSECUTIVE_5XX:
        return config.enforcingConsecutive5xx();
      case CONSECUTIVE_GATEWAY_FAILURE:
        return config.enforcingConsecutiveGatewayFailure();
      default:
        return config.enforcingConsecutiveLocalOriginFailure();
    }
  }

  private boolean roomForOneMore() {
    return 100L * (ejectedCount + 1) <= (long) config.maxEjectionPercent() * monitors.size()
        || (config.alwaysEjectOneHost() && ejectedCount == 0);
  }

  private long ejectionNanos(OutlierMonitor monitor) {
    return Math.min(config.baseEjectionTime().toNanos() * monitor.ejections, config.maxEjectionTime().toNanos());
  }

  private void sweep() {
    long now = ticker.nanoTime();
    long interval = config.interval().toNanos();
    for (OutlierMonitor monitor : monitors) {
      if (monitor.health.ejected()) {
        if (now - monitor.ejectedAtNanos >= ejectionNanos(monitor)) {
          bringBack(monitor, "its ejection time is over");
        }
      } else if (monitor.ejections > 0 && monitor.everReturned && now - monitor.returnedAtNanos >= interval) {
        monitor.ejections--;
      }
    }
  }

  private void bringBack(OutlierMonitor monitor, String why) {
    ejectedCount--;
    monitor.returnedAtNanos = ticker.nanoTime();
    monitor.everReturned = true;
    monitor.resetCounters();
    log.info("cluster {}: endpoint {} back in service: {}", cluster, monitor.health.endpoint(), why);
    monitor.health.ejected(false);
  }

  @Override
  public void close() {
    sweeps.cancel(false);
  }
}
