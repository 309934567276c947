package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** x-forwarded-for, x-forwarded-proto and x-request-id, with Envoy's semantics. */
final class ForwardedHeaders {
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

  private ForwardedHeaders() {}

  /**
   * With {@code useRemoteAddress} this proxy is the edge: the peer address is appended to
   * x-forwarded-for and x-forwarded-proto is set to the downstream scheme. Otherwise both are trusted
   * as received (x-forwarded-proto only filled in when absent).
   */
  static void apply(ConnectionScope scope, HttpHeaders headers) {
    boolean tls = scope.context().tls();
    if (scope.config().useRemoteAddress()) {
      appendForwardedFor(headers, scope.context().remoteAddress());
      headers.set(X_FORWARDED_PROTO, tls ? "https" : "http");
    } else if (!headers.contains(X_FORWARDED_PROTO)) {
      headers.set(X_FORWARDED_PROTO, tls ? "https" : "http");
    }
    if (scope.config().generateRequestId() && !headers.contains(X_REQUEST_ID)) {
      headers.set(X_REQUEST_ID, randomUuid());
    }
  }

  private static void appendForwardedFor(HttpHeaders headers, InetSocketAddress peer) {
    String address = peer.getAddress().getHostAddress();
    String existing = headers.get(X_FORWARDED_FOR);
    headers.set(X_FORWARDED_FOR, existing == null ? address : existing + "," + address);
  }

  /** A version 4 UUID from the thread's own random (not SecureRandom: ids need not be secret). */
  private static String randomUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(high, low).toString();
  }
}
