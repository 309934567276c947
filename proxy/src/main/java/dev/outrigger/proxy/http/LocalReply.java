package dev.outrigger.proxy.http;

import dev.outrigger.proxy.http.filter.FilterVerdict;
import dev.outrigger.proxy.stream.ResponseFlag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * A response the proxy makes itself, and the Envoy flag that says why. To a gRPC request it is a
 * trailers-only response (HTTP 200, grpc-status, grpc-message), never a text page.
 *
 * @param flag null when Envoy sets none (direct response, redirect, request timeout)
 */
record LocalReply(int status, ResponseFlag flag, String body, int grpcStatus) {
  static final AsciiString SERVER = AsciiString.cached("outrigger");
  static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");

  static final int GRPC_INTERNAL = 13;
  static final int GRPC_UNAVAILABLE = 14;
  static final int GRPC_DEADLINE_EXCEEDED = 4;
  static final int GRPC_UNIMPLEMENTED = 12;

  private static final String RESET_BEFORE_HEADERS = "upstream connect error or disconnect/reset before headers. reset reason: ";

  static final LocalReply NO_ROUTE = new LocalReply(404, ResponseFlag.NR, "no route matched", GRPC_UNIMPLEMENTED);
  static final LocalReply NO_CLUSTER = new LocalReply(503, ResponseFlag.NC, "cluster not found", GRPC_UNAVAILABLE);
  static final LocalReply NO_HEALTHY_UPSTREAM =
      new LocalReply(503, ResponseFlag.UH, "no healthy upstream", GRPC_UNAVAILABLE);
  static final LocalReply CONNECT_FAILURE =
      new LocalReply(503, ResponseFlag.UF, RESET_BEFORE_HEADERS + "connection failure", GRPC_UNAVAILABLE);
  static final LocalReply UPSTREAM_CLOSED =
      new LocalReply(503, ResponseFlag.UC, RESET_BEFORE_HEADERS + "connection termination", GRPC_UNAVAILABLE);
  static final LocalReply UPSTREAM_RESET =
      new LocalReply(503, ResponseFlag.UR, RESET_BEFORE_HEADERS + "remote reset", GRPC_UNAVAILABLE);
  static final LocalReply OVERFLOW =
      new LocalReply(503, ResponseFlag.UO, RESET_BEFORE_HEADERS + "overflow", GRPC_UNAVAILABLE);
  static final LocalReply MAX_STREAM_DURATION =
      new LocalReply(408, ResponseFlag.DT, "downstream duration timeout", GRPC_DEADLINE_EXCEEDED);
  static final LocalReply UPSTREAM_TIMEOUT =
      new LocalReply(504, ResponseFlag.UT, "upstream request timeout", GRPC_DEADLINE_EXCEEDED);
  static final LocalReply STREAM_IDLE_TIMEOUT =
      new LocalReply(408, ResponseFlag.SI, "stream timeout", GRPC_DEADLINE_EXCEEDED);
  static final LocalReply REQUEST_TIMEOUT =
      new LocalReply(408, null, "request timeout", GRPC_DEADLINE_EXCEEDED);
  static final LocalReply BAD_REQUEST = new LocalReply(400, ResponseFlag.DPE, "Bad Request", GRPC_INTERNAL);
  static final LocalReply HEADERS_TOO_LARGE =
      new LocalReply(431, ResponseFlag.DPE, "Request Header Fields Too Large", GRPC_INTERNAL);
  static final LocalReply URI_TOO_LONG = new LocalReply(414, ResponseFlag.DPE, "URI Too Long", GRPC_INTERNAL);

  /** A configured answer (direct response, redirect): no flag, gRPC status from the HTTP status. */
  static LocalReply configured(int status, String body) {
    return new LocalReply(status, null, body, grpcStatusFor(status));
  }

  /** An HTTP filter's answer; the gRPC status from the HTTP status unless the filter chose one. */
  static LocalReply fromFilter(FilterVerdict.Respond reply) {
    return new LocalReply(
        reply.status(), reply.flag(), reply.body(), reply.grpcStatus().orElse(grpcStatusFor(reply.status())));
  }

  FullHttpResponse toResponse(boolean grpc, ByteBufAllocator alloc) {
    FullHttpResponse response;
    if (grpc) {
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_GRPC)
          .setInt(GRPC_STATUS, grpcStatus)
          .set(GRPC_MESSAGE, body.isEmpty() ? HttpResponseStatus.valueOf(status).reasonPhrase() : body);
    } else {
      ByteBuf content = body.isEmpty() ? Unpooled.EMPTY_BUFFER : ByteBufUtil.writeUtf8(alloc, body);
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
      if (content.isReadable()) {
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
      }
    }
    response.headers().set(HttpHeaderNames.SERVER, SERVER);
    return response;
  }

  /** Envoy's HTTP-to-gRPC status mapping for replies without a more specific status. */
  private static int grpcStatusFor(int httpStatus) {
    switch (httpStatus) {
      case 400:
        return GRPC_INTERNAL;
      case 401:
        return 16;
      case 403:
        return 7;
      case 404:
        return GRPC_UNIMPLEMENTED;
      case 429:
      case 502:
      case 503:
      case 504:
        return GRPC_UNAVAILABLE;
      default:
        return 2;
    }
  }
}
