package dev.outrigger.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The h2c lanes against a server that allows 10 concurrent streams (as HAProxy allows 100) and
 * answers 50 ms late: at a fixed rate above what 4 × 10 streams carry, every lane runs at the
 * server's limit, and every request must still be answered.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class H2LaneTest {
  private static final int MAX_STREAMS = 10;
  private static final long ANSWER_DELAY_MS = 50;
  private final MultiThreadIoEventLoopGroup serverGroup =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private Channel server;

  /** Set by a test before the first connection: answers gRPC at once, then resets the stream. */
  private volatile boolean answerEarlyThenReset;

  @BeforeEach
  void startServer() throws InterruptedException {
    server = new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                Http2FrameCodecBuilder.forServer()
                    .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_STREAMS))
                    .build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(answerEarlyThenReset ? new EarlyGrpcAnswer() : new LateAnswer());
                  }
                }));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  @AfterEach
  void stopServer() {
    server.close().syncUninterruptibly();
    serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void lanesAtThePeersStreamLimitStillGetEveryRequestAnswered() throws InterruptedException {
    // 4 connections × 10 streams × 20 answers/s = 800/s at most: at 2,000/s the lanes stay full.
    LoadResult result;
    try (LoadGenerator generator = new LoadGenerator()) {
      result = generator.run(Scenario.H2C_1K, Load.fixedRate(2_000),
          (InetSocketAddress) server.localAddress(), Duration.ofSeconds(1));
    }

    assertThat(result.unfinished()).isZero();
    assertThat(result.failed()).isZero();
    assertThat(result.succeeded()).isEqualTo(2_000);
  }

  @Test
  void aResetWithNoErrorAfterTheWholeAnswerIsNotAFailure() throws InterruptedException {
    answerEarlyThenReset = true;
    LoadResult result;
    try (LoadGenerator generator = new LoadGenerator()) {
      result = generator.run(Scenario.GRPC_UNARY, Load.fixedRate(200),
          (InetSocketAddress) server.localAddress(), Duration.ofSeconds(1));
    }

    assertThat(result.failed()).isZero();
    assertThat(result.succeeded()).isEqualTo(200);
  }

  /**
   * As nginx may: the whole gRPC answer (headers, trailers with status 0) on the request's
   * headers, before its body is read, then RST_STREAM(NO_ERROR) to stop the rest (RFC 9113, 8.1).
   */
  private static final class EarlyGrpcAnswer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame headers && !headers.isEndStream()) {
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
            .set("content-type", "application/grpc")));
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true));
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
      }
      ReferenceCountUtil.release(msg);
    }
  }

  /** 200 with 1 KiB, 50 ms after the request's end. */
  private static final class LateAnswer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
        ctx.executor().schedule(() -> {
          ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
          ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[1024]), true));
        }, ANSWER_DELAY_MS, TimeUnit.MILLISECONDS);
      }
      ReferenceCountUtil.release(msg);
    }
  }
}
