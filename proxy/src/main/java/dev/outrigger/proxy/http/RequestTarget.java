package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * An HTTP/1.1 request target in absolute form ({@code GET http://host/path}, as clients send to a
 * forward proxy) becomes origin form: its authority replaces Host (RFC 9112 3.2.2) and the path
 * goes on alone, so routing and the upstream see what they would from a direct client.
 */
final class RequestTarget {
  private RequestTarget() {}

  static void toOriginForm(HttpRequest request) {
    String uri = request.uri();
    int schemeEnd =
        uri.regionMatches(true, 0, "http://", 0, 7) ? 7 : uri.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
    if (schemeEnd < 0) {
      return;
    }
    int pathStart = schemeEnd;
    while (pathStart < uri.length() && uri.charAt(pathStart) != '/' && uri.charAt(pathStart) != '?') {
      pathStart++;
    }
    request.headers().set(HttpHeaderNames.HOST, uri.substring(schemeEnd, pathStart));
    String rest = uri.substring(pathStart);
    request.setUri(rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest);
  }
}
