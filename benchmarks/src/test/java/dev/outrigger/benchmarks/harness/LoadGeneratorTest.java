package dev.outrigger.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load generator against an in-test HTTP/1.1 server that answers every request 50 ms late:
 * at a fixed rate above what its keep-alive connections can carry, requests queue in the generator,
 * and their latency counts from the intended send time (coordinated omission corrected).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
  private static final long ANSWER_DELAY_MS = 50;
  private final MultiThreadIoEventLoopGroup serverGroup =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private Channel server;

  @BeforeEach
  void startServer() throws InterruptedException {
    server = new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                new LateAnswers());
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
  void queuedRequestsCountFromTheirIntendedSendTime() throws InterruptedException {
    // 64 connections × 20 answers/s each = 1,280/s at most: at 2,000/s a queue builds for 1 s.
    LoadResult result;
    try (LoadGenerator generator = new LoadGenerator()) {
      result = generator.run(Scenario.H1_1K, Load.fixedRate(2_000), address(),
          Duration.ofSeconds(1));
    }

    assertThat(result.succeeded()).isEqualTo(2_000);
    assertThat(result.failed() + result.unfinished()).isZero();
    assertThat(result.latencyMicros().getMinValue()).isGreaterThanOrEqualTo(ANSWER_DELAY_MS * 1000);
    // Measured from the actual send, every latency would be about 50 ms; the queue shows instead.
    assertThat(result.latencyMicros().getValueAtPercentile(99))
        .isGreaterThan(4 * ANSWER_DELAY_MS * 1000);
  }

  @Test
  void closedLoopCountsFailedAnswers() throws InterruptedException {
    LoadResult result;
    try (LoadGenerator generator = new LoadGenerator()) {
      result = generator.run(Scenario.H1_POST_64K, Load.max(), address(),
          Duration.ofMillis(300));
    }

    assertThat(result.failed()).isPositive();
    assertThat(result.succeeded()).isZero();
  }

  private InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** 200 with 1 KiB after 50 ms for a GET; 503 at once for anything else. */
  private static final class LateAnswers extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean get = request.method().name().equals("GET");
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          get ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
          Unpooled.wrappedBuffer(new byte[get ? 1024 : 0]));
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      if (get) {
        ctx.executor().schedule(() -> ctx.writeAndFlush(response), ANSWER_DELAY_MS,
            TimeUnit.MILLISECONDS);
      } else {
        ctx.writeAndFlush(response);
      }
    }
  }
}
