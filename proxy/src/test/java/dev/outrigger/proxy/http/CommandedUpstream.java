package dev.outrigger.proxy.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that fails, hangs, resets or slows down on command, over HTTP/1.1 or h2c (prior
 * knowledge). Each request takes the next queued {@link Behavior}, or the standing one when the
 * queue is empty; every request is counted and recorded (headers and body) as it arrives.
 */
final class CommandedUpstream implements AutoCloseable {
  /** What the upstream does with one request. */
  interface Behavior {
    void apply(ChannelHandlerContext ctx, boolean http2);
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ConcurrentLinkedQueue<Behavior> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Behavior standing = respond(200);
  private final Channel server;

  /** One request as the upstream saw it. */
  record Received(HttpHeaders headers, String body) {}

  /** {@code maxConcurrentStreams}: HTTP/2 only, the SETTINGS limit; 0 leaves Netty's default. */
  private CommandedUpstream(boolean http2, int maxConcurrentStreams) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    channels.add(ch);
                    if (!http2) {
                      ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler(false));
                      return;
                    }
                    ch.pipeline()
                        .addLast(
                            maxConcurrentStreams > 0
                                ? Http2FrameCodecBuilder.forServer()
                                    .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
                                    .build()
                                : Http2FrameCodecBuilder.forServer().build(),
                            new Http2MultiplexHandler(
                                new ChannelInitializer<Http2StreamChannel>() {
                                  @Override
                                  protected void initChannel(Http2StreamChannel stream) {
                                    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                        new HttpObjectAggregator(1 << 20), new Handler(true));
                                  }
                                }));
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  static CommandedUpstream http1() throws InterruptedException {
    return new CommandedUpstream(false, 0);
  }

  static CommandedUpstream h2c() throws InterruptedException {
    return new CommandedUpstream(true, 0);
  }

  /** An h2c upstream that lets a connection carry at most {@code maxConcurrentStreams} streams. */
  static CommandedUpstream h2c(int maxConcurrentStreams) throws InterruptedException {
    return new CommandedUpstream(true, maxConcurrentStreams);
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** What every request gets once the queue is empty. */
  CommandedUpstream always(Behavior behavior) {
    standing = behavior;
    return this;
  }

  /** What the next requests get, one each, in order. */
  CommandedUpstream then(Behavior... behaviors) {
    queued.addAll(List.of(behaviors));
    return this;
  }

  int requests() {
    return requests.get();
  }

  static Behavior respond(int status) {
    return respond(status, "status " + status);
  }

  static Behavior respond(int status, String body) {
    return (ctx, http2) -> {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
          Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
      HttpUtil.setContentLength(response, response.content().readableBytes());
      ctx.writeAndFlush(response);
    };
  }

  /** A gRPC trailers-only answer: HTTP 200 with grpc-status in the headers. */
  static Behavior grpcStatus(int status) {
    return (ctx, http2) -> {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc").setInt("grpc-status", status);
      ctx.writeAndFlush(response);
    };
  }

  /** Never answers. */
  static Behavior hang() {
    return (ctx, http2) -> {};
  }

  /** HTTP/1.1: closes the connection; HTTP/2: resets the stream with INTERNAL_ERROR. */
  static Behavior reset() {
    return (ctx, http2) -> {
      if (http2) {
        ctx.channel().writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
      } else {
        ctx.close();
      }
    };
  }

  /** HTTP/2 only: resets the stream with REFUSED_STREAM. */
  static Behavior refuse() {
    return (ctx, http2) -> ctx.channel().writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
  }

  /**
   * Holds requests until {@code count} have arrived, then does {@code then} to all of them: a wave of
   * requests that are all in flight at once. Later requests get {@code then} at once.
   */
  static Behavior barrier(int count, Behavior then) {
    List<ChannelHandlerContext> held = new java.util.ArrayList<>();
    return (ctx, http2) -> {
      // One event loop serves every connection, so the list is only ever touched by its thread.
      if (held.size() >= count) {
        then.apply(ctx, http2);
        return;
      }
      held.add(ctx);
      if (held.size() == count) {
        held.forEach(each -> then.apply(each, http2));
      }
    };
  }

  /** Does {@code then} after {@code delay}. */
  static Behavior after(Duration delay, Behavior then) {
    return (ctx, http2) -> ctx.executor().schedule(() -> then.apply(ctx, http2), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    channels.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final boolean http2;

    Handler(boolean http2) {
      this.http2 = http2;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      requests.incrementAndGet();
      received.add(new Received(request.headers().copy(), request.content().toString(StandardCharsets.UTF_8)));
      Behavior next = queued.poll();
      (next != null ? next : standing).apply(ctx, http2);
    }
  }
}
