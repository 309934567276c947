package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * x-forwarded-for, x-forwarded-proto, x-envoy-external-address, x-envoy-internal and x-request-id,
 * with Envoy's semantics; finds the trusted client address on the way.
 */
final class ForwardedHeaders {
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  static final AsciiString X_ENVOY_EXTERNAL_ADDRESS = AsciiString.cached("x-envoy-external-address");
  static final AsciiString X_ENVOY_INTERNAL = AsciiString.cached("x-envoy-internal");

  private ForwardedHeaders() {}

  /** Rewrites the request's forwarding headers and returns the trusted client address. */
  static InetSocketAddress apply(ConnectionScope scope, HttpHeaders headers) {
    InetSocketAddress peer = scope.context().remoteAddress();
    int trustedHops = scope.config().xffNumTrustedHops();
    InetSocketAddress client =
        scope.config().useRemoteAddress()
            ? asEdge(headers, peer, trustedHops, scope.context().tls())
            : asInner(headers, peer, trustedHops, scope.context().tls());
    if (scope.config().generateRequestId() && !headers.contains(X_REQUEST_ID)) {
      headers.set(X_REQUEST_ID, randomUuid());
    }
    return client;
  }

  /**
   * {@code use_remote_address}: the peer is appended to x-forwarded-for, and the client is found
   * {@code trustedHops} positions from the right of the result (0: the peer itself). A request is
   * internal only when it came without x-forwarded-for from an internal peer; an external one gets
   * x-envoy-external-address. x-forwarded-proto is trusted only from trusted hops.
   */
  static InetSocketAddress asEdge(HttpHeaders headers, InetSocketAddress peer, int trustedHops, boolean tls) {
    String received = forwardedFor(headers);
    String appended = (received == null ? "" : received + ",") + NetUtil.toAddressString(peer.getAddress());
    headers.set(X_FORWARDED_FOR, appended);
    InetSocketAddress client = trustedHops == 0 ? peer : fromRight(appended, trustedHops, peer);
    boolean internal = received == null && isInternal(peer.getAddress());
    if (internal) {
      headers.set(X_ENVOY_INTERNAL, "true");
    } else {
      headers.remove(X_ENVOY_INTERNAL);
      headers.set(X_ENVOY_EXTERNAL_ADDRESS, NetUtil.toAddressString(client.getAddress()));
    }
    if (trustedHops == 0 || !headers.contains(X_FORWARDED_PROTO)) {
      headers.set(X_FORWARDED_PROTO, tls ? "https" : "http");
    }
    return client;
  }

  /**
   * Behind a proxy that appended its peer: x-forwarded-for is kept as received and names the client
   * {@code trustedHops} positions from its right, falling back to the peer when it is shorter or not
   * an address there. The request is internal when x-forwarded-for is one internal address.
   */
  static InetSocketAddress asInner(HttpHeaders headers, InetSocketAddress peer, int trustedHops, boolean tls) {
    String received = forwardedFor(headers);
    InetSocketAddress named = received == null ? null : fromRight(received, trustedHops, null);
    InetSocketAddress client = named == null ? peer : named;
    boolean internal = named != null && received.indexOf(',') < 0 && isInternal(named.getAddress());
    if (internal) {
      headers.set(X_ENVOY_INTERNAL, "true");
    } else {
      headers.remove(X_ENVOY_INTERNAL);
    }
    if (!headers.contains(X_FORWARDED_PROTO)) {
      headers.set(X_FORWARDED_PROTO, tls ? "https" : "http");
    }
    return client;
  }

  /** Every x-forwarded-for line as one list, or null when there is none. */
  private static String forwardedFor(HttpHeaders headers) {
    if (!headers.contains(X_FORWARDED_FOR)) {
      return null;
    }
    List<String> lines = headers.getAll(X_FORWARDED_FOR);
    return lines.size() == 1 ? lines.get(0) : String.join(",", lines);
  }

  /**
   * The address {@code index} places from the right of the comma-separated {@code list} (0: the
   * last), with port 0 as Envoy gives it; {@code fallback} when the list is shorter or that entry
   * is not an IP literal (never resolved: a name there is a forgery, not a lookup).
   */
  static InetSocketAddress fromRight(String list, int index, InetSocketAddress fallback) {
    int end = list.length();
    for (int skipped = 0; skipped < index; skipped++) {
      end = list.lastIndexOf(',', end - 1);
      if (end < 0) {
        return fallback;
      }
    }
    String entry = list.substring(list.lastIndexOf(',', end - 1) + 1, end).trim();
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(entry);
    return address == null ? fallback : new InetSocketAddress(address, 0);
  }

  /** Envoy's default internal addresses: RFC 1918, loopback, and RFC 4193 (fc00::/7). */
  static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      return (bytes[0] & 0xfe) == 0xfc;
    }
    int first = bytes[0] & 0xff;
    int second = bytes[1] & 0xff;
    return first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168);
  }

  /** A version 4 UUID from the thread's own random (not SecureRandom: ids need not be secret). */
  private static String randomUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(high, low).toString();
  }
}
