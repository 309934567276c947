package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * The HTTP/1.1 framing rules a proxy must enforce so that it and its upstream agree on where a
 * request ends (request smuggling): what the decoder flagged (bad lines, invalid header names or
 * values, conflicting Content-Length, heads over the size limit), Transfer-Encoding other than a single {@code chunked},
 * Transfer-Encoding with Content-Length, and a missing Host.
 */
final class RequestValidator {
  private RequestValidator() {}

  /** The reply refusing the request, or null when it is acceptable. */
  static LocalReply violation(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpHeaderException) {
        return LocalReply.HEADERS_TOO_LARGE;
      }
      return cause instanceof TooLongHttpLineException ? LocalReply.URI_TOO_LONG : LocalReply.BAD_REQUEST;
    }
    HttpHeaders headers = request.headers();
    List<String> transferEncodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!transferEncodings.isEmpty()) {
      if (transferEncodings.size() != 1
          || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(transferEncodings.get(0).trim())) {
        return LocalReply.BAD_REQUEST;
      }
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        return LocalReply.BAD_REQUEST;
      }
    }
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !headers.contains(HttpHeaderNames.HOST)) {
      return LocalReply.BAD_REQUEST;
    }
    return null;
  }
}
