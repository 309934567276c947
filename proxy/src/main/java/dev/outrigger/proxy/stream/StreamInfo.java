package dev.outrigger.proxy.stream;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Set;

/**
 * What happened to one HTTP request or one TCP connection, filled in as it goes and handed to
 * {@link StreamListener}s when it ends (access logs, metrics). Owned by one event loop: not
 * thread-safe, and must not be kept after {@link StreamListener#onComplete}.
 */
public final class StreamInfo {
  private final long startEpochMillis;
  private final long startNanos;
  private final String listenerName;
  private final InetSocketAddress downstreamDirectRemoteAddress;
  private InetSocketAddress downstreamRemoteAddress;
  private String protocol = "";
  private String requestMethod = "";
  private String requestPath = "";
  private HttpHeaders requestHeaders;
  private HttpHeaders responseHeaders;
  private HttpHeaders responseTrailers;
  private int responseCode;
  private final EnumSet<ResponseFlag> responseFlags = EnumSet.noneOf(ResponseFlag.class);
  private long bytesReceived;
  private long bytesSent;
  private long endNanos = -1;
  private String routeName = "";
  private String upstreamCluster = "";
  private String upstreamHost = "";
  private int upstreamAttempts;
  private String peerIdentity = "";
  private String terminationDetails = "";
  private String responseCodeDetails = "";

  public StreamInfo(
      long startEpochMillis, long startNanos, String listenerName, InetSocketAddress downstreamDirectRemoteAddress) {
    this.startEpochMillis = startEpochMillis;
    this.startNanos = startNanos;
    this.listenerName = listenerName;
    this.downstreamDirectRemoteAddress = downstreamDirectRemoteAddress;
    this.downstreamRemoteAddress = downstreamDirectRemoteAddress;
  }

  public long startEpochMillis() {
    return startEpochMillis;
  }

  public long startNanos() {
    return startNanos;
  }

  public String listenerName() {
    return listenerName;
  }

  /** The peer of the downstream connection. */
  public InetSocketAddress downstreamDirectRemoteAddress() {
    return downstreamDirectRemoteAddress;
  }

  /**
   * The trusted client address: the direct peer unless x-forwarded-for names the client (then
   * with port 0, as Envoy prints it).
   */
  public InetSocketAddress downstreamRemoteAddress() {
    return downstreamRemoteAddress;
  }

  public void downstreamRemoteAddress(InetSocketAddress address) {
    this.downstreamRemoteAddress = address;
  }

  /** {@code HTTP/1.1}, {@code HTTP/2}, or empty for TCP, as Envoy prints %PROTOCOL%. */
  public String protocol() {
    return protocol;
  }

  public void protocol(String protocol) {
    this.protocol = protocol;
  }

  /** The request line's method and target as received; empty for TCP. */
  public void requestLine(String method, String path) {
    this.requestMethod = method;
    this.requestPath = path;
  }

  /** Envoy's {@code :method}. */
  public String requestMethod() {
    return requestMethod;
  }

  /** Envoy's {@code :path}: the request target as received, before any rewrite. */
  public String requestPath() {
    return requestPath;
  }

  /**
   * The request headers as forwarded upstream: hop-by-hop headers removed, {@code x-request-id}
   * and {@code x-forwarded-*} set (null for TCP or before they arrived).
   */
  public HttpHeaders requestHeaders() {
    return requestHeaders;
  }

  public void requestHeaders(HttpHeaders headers) {
    this.requestHeaders = headers;
  }

  /** The response headers as sent downstream (null until then). */
  public HttpHeaders responseHeaders() {
    return responseHeaders;
  }

  public void responseHeaders(HttpHeaders headers) {
    this.responseHeaders = headers;
  }

  public HttpHeaders responseTrailers() {
    return responseTrailers;
  }

  public void responseTrailers(HttpHeaders trailers) {
    this.responseTrailers = trailers;
  }

  /** The status sent downstream; 0 when none was (reset, or TCP). */
  public int responseCode() {
    return responseCode;
  }

  public void responseCode(int code) {
    this.responseCode = code;
  }

  public Set<ResponseFlag> responseFlags() {
    return responseFlags;
  }

  public void addResponseFlag(ResponseFlag flag) {
    responseFlags.add(flag);
  }

  /** Body bytes received from downstream (request body for HTTP, all bytes for TCP). */
  public long bytesReceived() {
    return bytesReceived;
  }

  public void addBytesReceived(long n) {
    bytesReceived += n;
  }

  /** Body bytes sent downstream. */
  public long bytesSent() {
    return bytesSent;
  }

  public void addBytesSent(long n) {
    bytesSent += n;
  }

  /** Marks the end; the duration is measured on the same ticker as {@code startNanos}. */
  public void end(long nowNanos) {
    if (endNanos < 0) {
      endNanos = nowNanos;
    }
  }

  /** Nanoseconds from start to {@link #end}, or -1 while still running. */
  public long durationNanos() {
    return endNanos < 0 ? -1 : endNanos - startNanos;
  }

  public String routeName() {
    return routeName;
  }

  public void routeName(String name) {
    this.routeName = name;
  }

  public String upstreamCluster() {
    return upstreamCluster;
  }

  public void upstreamCluster(String cluster) {
    this.upstreamCluster = cluster;
  }

  /** {@code ip:port} of the upstream host chosen last, or empty. */
  public String upstreamHost() {
    return upstreamHost;
  }

  public void upstreamHost(String host) {
    this.upstreamHost = host;
  }

  /** How many upstream attempts the request took (retries included), as {@code %UPSTREAM_REQUEST_ATTEMPT_COUNT%}. */
  public int upstreamAttempts() {
    return upstreamAttempts;
  }

  public void upstreamAttempts(int attempts) {
    this.upstreamAttempts = attempts;
  }

  /** The downstream peer's SPIFFE ID when mTLS authenticated it, or empty. */
  public String peerIdentity() {
    return peerIdentity;
  }

  public void peerIdentity(String identity) {
    this.peerIdentity = identity;
  }

  /**
   * Why the proxy ended the connection itself, when it did ({@code idle_timeout}), as Envoy's
   * {@code %CONNECTION_TERMINATION_DETAILS%}; empty when a peer closed it.
   */
  public String terminationDetails() {
    return terminationDetails;
  }

  /** The first reason given wins: later closes are consequences of it. */
  public void terminationDetails(String details) {
    if (terminationDetails.isEmpty()) {
      this.terminationDetails = details;
    }
  }

  /**
   * Why the proxy answered as it did, when a filter says ({@code rbac_access_denied_matched_policy[...]}),
   * as Envoy's {@code %RESPONSE_CODE_DETAILS%}; empty otherwise.
   */
  public String responseCodeDetails() {
    return responseCodeDetails;
  }

  public void responseCodeDetails(String details) {
    this.responseCodeDetails = details;
  }
}
