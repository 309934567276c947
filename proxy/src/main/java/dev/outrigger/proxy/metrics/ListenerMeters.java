package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one listener, bound once. The listener layer reports accepted and closed
 * downstream connections here; the stream meters of its filter chains report the rest.
 */
public final class ListenerMeters {
  /**
   * Flags that mean the proxy answered by itself. DC (the client left) and DI (a delay) describe
   * a stream that may still have carried an upstream response.
   */
  private static final Set<ResponseFlag> LOCAL_REPLY_FLAGS =
      EnumSet.complementOf(EnumSet.of(ResponseFlag.DC, ResponseFlag.DI));

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter connectionsTotal;
  private final LongAdder connectionsActive = new LongAdder();
  private final LongAdder requestsActive = new LongAdder();
  private final LongAdder tcpConnectionsActive = new LongAdder();
  private final Counter bytesReceived;
  private final Counter bytesSent;
  private final Counter noFilterChain;
  private final Counter tlsHandshakesOk;
  private final Counter tlsHandshakesFailed;
  private final AtomicReferenceArray<Counter> localReplies =
      new AtomicReferenceArray<>(ResponseFlag.values().length);

  ListenerMeters(MeterRegistry registry, String listener) {
    this.registry = registry;
    this.tags = Tags.of("listener", listener);
    this.connectionsTotal = Counter.builder("outrigger.downstream.connections").tags(tags).register(registry);
    Gauge.builder("outrigger.downstream.connections.active", connectionsActive, LongAdder::sum)
        .tags(tags).register(registry);
    Gauge.builder("outrigger.requests.active", requestsActive, LongAdder::sum).tags(tags).register(registry);
    Gauge.builder("outrigger.tcp.connections.active", tcpConnectionsActive, LongAdder::sum)
        .tags(tags).register(registry);
    this.bytesReceived = Counter.builder("outrigger.downstream.bytes.received").tags(tags).register(registry);
    this.bytesSent = Counter.builder("outrigger.downstream.bytes.sent").tags(tags).register(registry);
    this.noFilterChain = Counter.builder("outrigger.downstream.no_filter_chain").tags(tags).register(registry);
    this.tlsHandshakesOk = tlsHandshakes(registry, "success");
    this.tlsHandshakesFailed = tlsHandshakes(registry, "failure");
  }

  private Counter tlsHandshakes(MeterRegistry registry, String result) {
    return Counter.builder("outrigger.tls.handshakes").tags(tags).tag("result", result).register(registry);
  }

  /** A connection matched no filter chain and was closed. */
  void noFilterChainMatched() {
    noFilterChain.increment();
  }

  /** A downstream TLS handshake ended. */
  void tlsHandshake(boolean success) {
    (success ? tlsHandshakesOk : tlsHandshakesFailed).increment();
  }

  /** A downstream connection was accepted. */
  public void connectionOpened() {
    connectionsTotal.increment();
    connectionsActive.increment();
  }

  /** A downstream connection closed. */
  public void connectionClosed() {
    connectionsActive.decrement();
  }

  void requestStarted() {
    requestsActive.increment();
  }

  void requestEnded() {
    requestsActive.decrement();
  }

  void tcpConnectionStarted() {
    tcpConnectionsActive.increment();
  }

  void tcpConnectionEnded() {
    tcpConnectionsActive.decrement();
  }

  void streamBytes(StreamInfo info) {
    bytesReceived.increment(info.bytesReceived());
    bytesSent.increment(info.bytesSent());
  }

  /** Counts a reply the proxy made itself, once per flag that explains it. */
  void localReply(StreamInfo info) {
    if (info.responseCode() == 0 || info.responseFlags().isEmpty()) {
      return;
    }
    for (ResponseFlag flag : info.responseFlags()) {
      if (LOCAL_REPLY_FLAGS.contains(flag)) {
        localReplyCounter(flag).increment();
      }
    }
  }

  private Counter localReplyCounter(ResponseFlag flag) {
    Counter counter = localReplies.get(flag.ordinal());
    if (counter == null) {
      // Registering returns the existing meter for the same id, so a racing second register is harmless.
      counter = Counter.builder("outrigger.local.replies").tags(tags).tag("flag", flag.name()).register(registry);
      localReplies.set(flag.ordinal(), counter);
    }
    return counter;
  }
}
