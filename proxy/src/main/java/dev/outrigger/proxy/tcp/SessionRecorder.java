package dev.outrigger.proxy.tcp;

import dev.outrigger.proxy.config.TcpProxyConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Accumulates one session's facts. Touched only on the session's event loop (both channels live
 * there), so plain fields suffice.
 */
final class SessionRecorder {
  private final TcpProxyConfig config;
  private final Clock clock;
  private final Instant start;
  private final InetSocketAddress downstream;
  private Optional<String> cluster = Optional.empty();
  private Optional<String> upstreamHost = Optional.empty();
  private long bytesReceived;
  private long bytesSent;
  private TcpSession.End end = TcpSession.End.CLOSED;

  SessionRecorder(TcpProxyConfig config, Clock clock, InetSocketAddress downstream) {
    this.config = config;
    this.clock = clock;
    this.start = clock.instant();
    this.downstream = downstream;
  }

  void cluster(String name) {
    cluster = Optional.of(name);
  }

  void upstreamHost(String host) {
    upstreamHost = Optional.of(host);
  }

  void received(long bytes) {
    bytesReceived += bytes;
  }

  void sent(long bytes) {
    bytesSent += bytes;
  }

  /** The first reason given wins: later closes are consequences of it. */
  void endedBy(TcpSession.End reason) {
    if (end == TcpSession.End.CLOSED) {
      end = reason;
    }
  }

  TcpSession toSession() {
    return new TcpSession(
        config.statPrefix(),
        start,
        Duration.between(start, clock.instant()),
        downstream,
        cluster,
        upstreamHost,
        bytesReceived,
        bytesSent,
        end);
  }
}
