package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * The HTTP/1.1 framing rules a proxy must enforce so that it and its upstream agree on where a
 * request ends (request smuggling): what the decoder flagged (bad lines, invalid header names or
 * values, conflicting Content-Length), Transfer-Encoding other than a single {@code chunked},
 * Transfer-Encoding with Content-Length, and a missing Host.
 */
final class RequestValidator {
  private RequestValidator() {}

  /** Why the request must be refused, or null when it is acceptable. */
  static String violation(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return String.valueOf(request.decoderResult().cause().getMessage());
    }
    HttpHeaders headers = request.headers();
    List<String> transferEncodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!transferEncodings.isEmpty()) {
      if (transferEncodings.size() != 1
          || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(transferEncodings.get(0).trim())) {
        return "unsupported Transfer-Encoding";
      }
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        return "Transfer-Encoding together with Content-Length";
      }
    }
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !headers.contains(HttpHeaderNames.HOST)) {
      return "missing Host";
    }
    return null;
  }
}
