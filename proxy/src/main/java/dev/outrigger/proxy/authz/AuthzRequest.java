package dev.outrigger.proxy.authz;

import io.netty.util.AsciiString;
import java.net.InetSocketAddress;

/**
 * What RBAC rules read from a connection or a request. A connection has no HTTP parts: its
 * header, method, authority and path are null, so header rules see absent headers and path rules
 * never match, as in Envoy's network filter.
 */
interface AuthzRequest {
  PeerIdentity peer();

  /** The connection's peer. */
  InetSocketAddress directRemoteAddress();

  /** The client as the connection manager trusts it (x-forwarded-for); the peer on a connection. */
  InetSocketAddress remoteAddress();

  /** Where the connection was accepted. */
  InetSocketAddress localAddress();

  /** All values of a header joined with {@code ,}, as Envoy matches headers; null when absent. */
  String header(AsciiString lowerCaseName);

  String method();

  String authority();

  /** The request path without query and fragment. */
  String path();

  /** The request-target as received ({@code :path}). */
  String rawPath();
}
