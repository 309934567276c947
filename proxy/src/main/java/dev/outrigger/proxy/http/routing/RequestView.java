package dev.outrigger.proxy.http.routing;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;

/**
 * One request as the router sees it. Computes what several routes may ask for (the end of the path,
 * the decoded query) at most once per request.
 */
final class RequestView {
  private static final AsciiString FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");

  /** The request method, as {@code :method}. */
  final String method;
  final String authority;
  /** The request-target as received: path, then optional {@code ?query}. */
  final String rawPath;
  /** Where the path ends: the first {@code ?} or {@code #}, else the length. */
  final int pathEnd;

  final HttpHeaders headers;
  private Map<String, String> queryParameters;

  RequestView(String method, String authority, String rawPath, HttpHeaders headers) {
    this.method = method;
    this.authority = authority;
    this.rawPath = rawPath;
    this.pathEnd = pathEnd(rawPath);
    this.headers = headers;
  }

  /** The path without query and fragment. */
  String path() {
    return pathEnd == rawPath.length() ? rawPath : rawPath.substring(0, pathEnd);
  }

  /** The query string after {@code ?} up to any fragment; empty when there is none. */
  String query() {
    if (pathEnd == rawPath.length() || rawPath.charAt(pathEnd) != '?') {
      return "";
    }
    int fragment = rawPath.indexOf('#', pathEnd);
    return rawPath.substring(pathEnd + 1, fragment < 0 ? rawPath.length() : fragment);
  }

  /** Decoded query parameters, first value per name, parsed on first use. */
  Map<String, String> queryParameters() {
    if (queryParameters == null) {
      queryParameters = QueryParameters.parse(query());
    }
    return queryParameters;
  }

  /**
   * The request's scheme as Envoy's {@code :scheme}: for HTTP/1.1 that is the sanitized {@code
   * x-forwarded-proto}, which the connection manager sets before routing; {@code http} without it.
   */
  String scheme() {
    String proto = headers.get(FORWARDED_PROTO);
    return proto == null || proto.isEmpty() ? "http" : AsciiCase.toLowerCase(proto);
  }

  /** All values of a header joined with {@code ,}, as Envoy matches headers; null when absent. */
  String joinedHeader(AsciiString name) {
    // get() first: an absent header, the common case when routes fail, allocates nothing.
    String first = headers.get(name);
    if (first == null) {
      return null;
    }
    List<String> values = headers.getAll(name);
    return values.size() == 1 ? first : String.join(",", values);
  }

  private static int pathEnd(String rawPath) {
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return rawPath.length();
  }
}
