package dev.outrigger.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An HTTP/2 client with prior knowledge (h2c), which the JDK client cannot do. One connection. */
final class H2cClient implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel connection;

  H2cClient(int port) throws InterruptedException {
    connection =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                  }
                })
            .connect("127.0.0.1", port)
            .sync()
            .channel();
  }

  /** A response as received: status, headers, body, trailers; or how the stream was reset. */
  record Response(
      int status, List<Integer> interimStatuses, HttpHeaders headers, String body, HttpHeaders trailers, Long resetCode) {}

  /** The client's connection, whose pipeline has the HTTP/2 codec. */
  Channel connection() {
    return connection;
  }

  CompletableFuture<Response> get(String path) {
    return send("GET", path, new DefaultHttpHeaders(), null);
  }

  CompletableFuture<Response> send(String method, String path, HttpHeaders extra, String body) {
    Http2Headers headers = new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("test.local");
    extra.forEach(e -> headers.add(e.getKey().toLowerCase(), e.getValue()));
    Collector collector = new Collector();
    Http2StreamChannel stream = open(collector);
    stream.write(new DefaultHttp2HeadersFrame(headers, body == null));
    if (body != null) {
      stream.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true));
    }
    stream.flush();
    return collector.result;
  }

  /** Sends the headers of a request with a body to come, then resets the stream. */
  Http2StreamChannel openAndReset(String path) {
    Http2StreamChannel stream = open(new Collector());
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("POST").path(path).scheme("http").authority("t"), false));
    return stream;
  }

  private Http2StreamChannel open(Collector collector) {
    return new Http2StreamChannelBootstrap(connection)
        .handler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), collector);
              }
            })
        .open()
        .syncUninterruptibly()
        .getNow();
  }

  @Override
  public void close() {
    connection.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Collector extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Response> result = new CompletableFuture<>();
    private HttpResponse head;
    private final StringBuilder body = new StringBuilder();
    private final List<Integer> interim = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof HttpResponse response) {
          if (response.status().code() < 200) {
            interim.add(response.status().code());
            return;
          }
          head = response;
        }
        if (msg instanceof HttpContent content) {
          ByteBuf data = content.content();
          body.append(data.toString(StandardCharsets.UTF_8));
          if (content instanceof LastHttpContent last && head != null) {
            result.complete(new Response(head.status().code(), interim, head.headers(), body.toString(), new DefaultHttpHeaders().set(last.trailingHeaders()), null));
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof Http2ResetFrame reset) {
        result.complete(new Response(head == null ? 0 : head.status().code(), interim, null, body.toString(), null, reset.errorCode()));
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.completeExceptionally(new IllegalStateException("stream closed without a complete response"));
    }
  }
}
