package dev.outrigger.benchmarks.harness;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * An HTTP/1.1 keep-alive connection carrying one request at a time. Sits after the client codec;
 * the inbound handler base class releases every response part once read.
 */
final class Http1Lane extends SimpleChannelInboundHandler<HttpObject> implements Lane {
  private final Scenario scenario;
  private final String authority;
  /** Shared request body; each request sends a retained duplicate, released by the encoder. */
  private final ByteBuf body;
  private final Lane.Listener listener;
  private Channel channel;
  private long intendedNanos;
  private boolean inFlight;
  private boolean ok;

  Http1Lane(Scenario scenario, String authority, ByteBuf body, Lane.Listener listener) {
    this.scenario = scenario;
    this.authority = authority;
    this.body = body;
    this.listener = listener;
  }

  @Override
  public void install(ChannelPipeline pipeline) {
    pipeline.addLast(new HttpClientCodec(), this);
  }

  @Override
  public boolean established() {
    return true;
  }

  @Override
  public int capacity() {
    return 1;
  }

  @Override
  public int inFlight() {
    return inFlight ? 1 : 0;
  }

  @Override
  public void send(long intendedNanos) {
    this.intendedNanos = intendedNanos;
    inFlight = true;
    ok = false;
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(scenario.method), scenario.path, body.retainedDuplicate());
    request.headers().set(HttpHeaderNames.HOST, authority);
    if (scenario.requestBytes > 0) {
      request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    }
    channel.writeAndFlush(request, channel.voidPromise());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject part) {
    if (part instanceof HttpResponse) {
      ok = ((HttpResponse) part).status().equals(HttpResponseStatus.OK);
    }
    if (part instanceof LastHttpContent && inFlight) {
      inFlight = false;
      listener.completed(this, intendedNanos, ok);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    listener.closed(this);
    if (inFlight) {
      inFlight = false;
      listener.completed(this, intendedNanos, false);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
