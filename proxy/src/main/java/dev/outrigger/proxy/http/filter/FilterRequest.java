package dev.outrigger.proxy.http.filter;

import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.stream.StreamInfo;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * One request as a filter sees it: after routing, before the route's rewrites and header
 * mutations, so the path and headers are those the client sent (plus {@code x-forwarded-*} and
 * {@code x-request-id}, as in Envoy). Valid only during {@link HttpFilter#onRequest}.
 */
public interface FilterRequest {

  /** The request headers; filters read them (mutating is the router's business). */
  HttpHeaders headers();

  /** {@code :method}. */
  String method();

  /** {@code :path} as received: path and query. */
  String path();

  /** {@code :authority} / {@code Host}; empty when absent. */
  String authority();

  /** {@code content-type} is {@code application/grpc*}: a local answer is trailers-only. */
  boolean isGrpc();

  /** The downstream connection: addresses (the local one carries the destination port), TLS, peer certificate. */
  ConnectionContext connection();

  /** What is recorded about this request for access logs and metrics; filters may add to it. */
  StreamInfo streamInfo();

  /**
   * Headers to set on the response, whether it comes from upstream or from a filter; each name
   * set here replaces the response's own values. Made on first use.
   */
  HttpHeaders responseHeaders();

  /**
   * The value {@code local} holds for this request's downstream connection, made on first use.
   * Only this connection's event loop touches it.
   */
  <T> T connectionLocal(ConnectionLocal<T> local);
}
