package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.runtime.ConnectionContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One HTTP request as the RBAC filter sees it: the request head, the connection it came on, its
 * peer (read once per connection) and the client address the connection manager trusted.
 */
public final class HttpAuthzRequest implements AuthzRequest {
  private final ConnectionContext connection;
  private final PeerIdentity peer;
  private final InetSocketAddress client;
  private final String method;
  private final String uri;
  private final HttpHeaders headers;
  private String path;

  /**
   * @param peer {@code PeerIdentity.of(connection.peerCertificate())}, made once per connection
   * @param client the trusted client address ({@code StreamInfo.downstreamRemoteAddress()})
   */
  public HttpAuthzRequest(ConnectionContext connection, PeerIdentity peer, InetSocketAddress client, HttpRequest request) {
    this(connection, peer, client, request.method().name(), request.uri(), request.headers());
  }

  /** @param uri the request target as received: path and query */
  HttpAuthzRequest(
      ConnectionContext connection, PeerIdentity peer, InetSocketAddress client, String method, String uri, HttpHeaders headers) {
    this.connection = connection;
    this.peer = peer;
    this.client = client;
    this.method = method;
    this.uri = uri;
    this.headers = headers;
  }

  @Override
  public PeerIdentity peer() {
    return peer;
  }

  @Override
  public InetSocketAddress directRemoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return client;
  }

  @Override
  public InetSocketAddress localAddress() {
    return connection.localAddress();
  }

  @Override
  public String header(AsciiString lowerCaseName) {
    // get() first: an absent header, the common case, allocates nothing.
    String first = headers.get(lowerCaseName);
    if (first == null) {
      return null;
    }
    List<String> values = headers.getAll(lowerCaseName);
    return values.size() == 1 ? first : String.join(",", values);
  }

  @Override
  public String method() {
    return method;
  }

  /** Netty keeps HTTP/2's {@code :authority} as {@code host}, as HTTP/1.1 has it. */
  @Override
  public String authority() {
    return headers.get(HttpHeaderNames.HOST);
  }

  @Override
  public String path() {
    if (path == null) {
      String raw = uri;
      int end = 0;
      while (end < raw.length() && raw.charAt(end) != '?' && raw.charAt(end) != '#') {
        end++;
      }
      path = end == raw.length() ? raw : raw.substring(0, end);
    }
    return path;
  }

  @Override
  public String rawPath() {
    return uri;
  }
}
