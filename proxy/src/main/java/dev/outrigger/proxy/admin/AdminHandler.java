package dev.outrigger.proxy.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;

/**
 * Answers one aggregated admin request: finds the endpoint by path, checks the method, writes
 * the response. The request is released by {@link SimpleChannelInboundHandler}; the response
 * buffer is handed to the write, which releases it.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final Map<String, AdminEndpoints.Endpoint> endpoints;

  AdminHandler(Map<String, AdminEndpoints.Endpoint> endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    AdminResponse response = respond(request);
    ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), response.body());
    FullHttpResponse http = new DefaultFullHttpResponse(request.protocolVersion(), response.status(), body);
    http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    if (response.status() == METHOD_NOT_ALLOWED) {
      http.headers().set(HttpHeaderNames.ALLOW, endpoints.get(path(request)).method().name());
    }
    HttpUtil.setContentLength(http, body.readableBytes());
    HttpUtil.setKeepAlive(http, HttpUtil.isKeepAlive(request));
    ctx.writeAndFlush(http).addListener(written -> response.afterSent().run());
  }

  private AdminResponse respond(FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      return AdminResponse.text(BAD_REQUEST, "bad request\n");
    }
    AdminEndpoints.Endpoint endpoint = endpoints.get(path(request));
    if (endpoint == null) {
      return AdminResponse.text(NOT_FOUND, "not found\n");
    }
    if (!endpoint.method().equals(request.method())) {
      return AdminResponse.text(METHOD_NOT_ALLOWED, "use " + endpoint.method() + "\n");
    }
    return endpoint.handler().apply(request);
  }

  private static String path(FullHttpRequest request) {
    return new QueryStringDecoder(request.uri()).path();
  }
}
