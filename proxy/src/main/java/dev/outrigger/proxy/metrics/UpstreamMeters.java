package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.upstream.Breaker;
import dev.outrigger.proxy.upstream.RetryOutcome;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import dev.outrigger.proxy.upstream.health.HealthEvents;
import dev.outrigger.proxy.stream.StreamInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one upstream cluster, bound once. The upstream layer reports connection attempts
 * here; request bytes are attributed from finished streams.
 */
public final class UpstreamMeters implements UpstreamConnectionEvents {
  private final Counter connectFailures;
  private final Counter connectionsTotal;
  private final Counter tlsHandshakesOk;
  private final Counter tlsHandshakesFailed;
  private final LongAdder connectionsActive = new LongAdder();
  private final Counter bytesSent;
  private final Counter bytesReceived;
  private final Counter[] overflows = new Counter[Breaker.values().length];
  private final Counter[] retries = new Counter[RetryOutcome.values().length];
  private final HealthMeters health;

  UpstreamMeters(MeterRegistry registry, String cluster) {
    Tags tags = Tags.of("cluster", cluster);
    this.connectFailures = Counter.builder("outrigger.upstream.connect.failures").tags(tags).register(registry);
    this.connectionsTotal = Counter.builder("outrigger.upstream.connections").tags(tags).register(registry);
    this.tlsHandshakesOk = tlsHandshakes(registry, tags, "success");
    this.tlsHandshakesFailed = tlsHandshakes(registry, tags, "failure");
    Gauge.builder("outrigger.upstream.connections.active", connectionsActive, LongAdder::sum)
        .tags(tags).register(registry);
    this.bytesSent = Counter.builder("outrigger.upstream.bytes.sent").tags(tags).register(registry);
    this.bytesReceived = Counter.builder("outrigger.upstream.bytes.received").tags(tags).register(registry);
    for (Breaker breaker : Breaker.values()) {
      overflows[breaker.ordinal()] =
          Counter.builder("outrigger.upstream.overflow").tags(tags).tag("breaker", breaker.label()).register(registry);
    }
    for (RetryOutcome outcome : RetryOutcome.values()) {
      retries[outcome.ordinal()] = outcome == RetryOutcome.BODY_TOO_LARGE
          ? Counter.builder("outrigger.upstream.retries.skipped").tags(tags).tag("reason", outcome.label()).register(registry)
          : Counter.builder("outrigger.upstream.retries").tags(tags).tag("result", outcome.label()).register(registry);
    }
    this.health = new HealthMeters(registry, cluster);
  }

  @Override
  public void overflowed(Breaker breaker) {
    overflows[breaker.ordinal()].increment();
  }

  @Override
  public void retry(RetryOutcome outcome) {
    retries[outcome.ordinal()].increment();
  }

  @Override
  public HealthEvents health() {
    return health;
  }

  /** A connection to an endpoint of this cluster could not be made (refused, timed out, TLS failed). */
  @Override
  public void connectFailed() {
    connectFailures.increment();
  }

  /** {@code outrigger_upstream_tls_handshakes_total{cluster,result}}: the client side of {@code outrigger_tls_handshakes_total}. */
  private static Counter tlsHandshakes(MeterRegistry registry, Tags tags, String result) {
    return Counter.builder("outrigger.upstream.tls.handshakes").tags(tags).tag("result", result).register(registry);
  }

  @Override
  public void tlsHandshake(boolean success) {
    (success ? tlsHandshakesOk : tlsHandshakesFailed).increment();
  }

  @Override
  public void connectionOpened() {
    connectionsTotal.increment();
    connectionsActive.increment();
  }

  @Override
  public void connectionClosed() {
    connectionsActive.decrement();
  }

  /**
   * What a stream moved through this cluster: what the client sent went upstream, and what it
   * received came from upstream when an upstream host answered (not for local replies).
   */
  void streamBytes(StreamInfo info) {
    if (!info.upstreamHost().isEmpty()) {
      bytesSent.increment(info.bytesReceived());
      bytesReceived.increment(info.bytesSent());
    }
  }
}
