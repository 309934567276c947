package dev.outrigger.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code envoy.filters.network.http_connection_manager}, the supported subset. Durations of zero
 * mean "disabled", as in Envoy.
 *
 * @param streamIdleTimeout a stream with no activity for this long is reset (Envoy default 5 min)
 * @param requestTimeout the whole request must arrive within this (default disabled)
 * @param idleTimeout a connection with no active stream for this long is closed (default 1 h)
 * @param maxRequestHeadersKb total request header size limit (Envoy default 60)
 * @param useRemoteAddress the downstream peer address is the client address for XFF
 * @param xffNumTrustedHops trusted proxies in front of this one when reading x-forwarded-for
 * @param generateRequestId set {@code x-request-id} when absent (default true)
 * @param clientCertForwarding what happens to {@code x-forwarded-client-cert} (default: removed)
 * @param httpFilters the HTTP filters before the router, in order
 */
public record HttpConnectionManagerConfig(
    String statPrefix,
    CodecType codecType,
    RouteTableConfig routeTable,
    Duration streamIdleTimeout,
    Duration requestTimeout,
    Duration idleTimeout,
    int maxRequestHeadersKb,
    boolean useRemoteAddress,
    int xffNumTrustedHops,
    boolean generateRequestId,
    List<AccessLogConfig> accessLogs,
    ClientCertForwarding clientCertForwarding,
    List<HttpFilterConfig> httpFilters)
    implements NetworkFilterConfig {

  public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
  public static final int DEFAULT_MAX_REQUEST_HEADERS_KB = 60;

  public HttpConnectionManagerConfig {
    accessLogs = List.copyOf(accessLogs);
    httpFilters = List.copyOf(httpFilters);
  }

  /** The router alone, with Envoy's default {@code x-forwarded-client-cert} handling (removed). */
  public HttpConnectionManagerConfig(
      String statPrefix, CodecType codecType, RouteTableConfig routeTable, Duration streamIdleTimeout,
      Duration requestTimeout, Duration idleTimeout, int maxRequestHeadersKb, boolean useRemoteAddress,
      int xffNumTrustedHops, boolean generateRequestId, List<AccessLogConfig> accessLogs) {
    this(statPrefix, codecType, routeTable, streamIdleTimeout, requestTimeout, idleTimeout, maxRequestHeadersKb,
        useRemoteAddress, xffNumTrustedHops, generateRequestId, accessLogs, ClientCertForwarding.SANITIZE,
        List.of());
  }

  /** This config with another route table: what an RDS update changes. */
  public HttpConnectionManagerConfig withRouteTable(RouteTableConfig table) {
    return new HttpConnectionManagerConfig(statPrefix, codecType, table, streamIdleTimeout, requestTimeout, idleTimeout,
        maxRequestHeadersKb, useRemoteAddress, xffNumTrustedHops, generateRequestId, accessLogs, clientCertForwarding,
        httpFilters);
  }

  /** Downstream codec selection. AUTO detects h2 by the connection preface or ALPN. */
  public enum CodecType {
    AUTO,
    HTTP1,
    HTTP2
  }
}
