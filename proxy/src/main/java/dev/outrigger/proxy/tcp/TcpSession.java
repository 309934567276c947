package dev.outrigger.proxy.tcp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One proxied TCP connection as it ended: what access logs and metrics need.
 *
 * @param bytesReceived from downstream (Envoy's {@code %BYTES_RECEIVED%})
 * @param bytesSent to downstream ({@code %BYTES_SENT%})
 * @param cluster the cluster picked; empty when the named cluster does not exist
 * @param upstreamHost {@code ip:port} of the endpoint; empty when none was picked
 */
public record TcpSession(
    String statPrefix,
    Instant startTime,
    Duration duration,
    InetSocketAddress downstreamRemoteAddress,
    Optional<String> cluster,
    Optional<String> upstreamHost,
    long bytesReceived,
    long bytesSent,
    End end) {

  /** How the session ended. */
  public enum End {
    /** Either side closed after bytes could flow. */
    CLOSED,
    /** The picked cluster is not configured (Envoy's {@code NC}). */
    NO_CLUSTER,
    /** The cluster has no endpoint (Envoy's {@code UH}). */
    NO_HEALTHY_UPSTREAM,
    /** The upstream connection (or its TLS handshake) failed (Envoy's {@code UF}). */
    CONNECT_FAILED,
    /** No bytes either way for the idle timeout. */
    IDLE_TIMEOUT
  }
}
