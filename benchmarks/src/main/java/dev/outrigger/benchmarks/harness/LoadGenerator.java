package dev.outrigger.benchmarks.harness;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The in-repo load generator: one Netty event loop driving HTTP/1.1 keep-alive connections or h2c
 * streams, open loop at a fixed rate or closed loop at fixed concurrency (see {@link Load}).
 */
final class LoadGenerator implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Keep-alive connections for fixed-rate HTTP/1.1: enough that a 10 ms stall at 5,000/s fits. */
  private static final int OPEN_LOOP_H1_CONNECTIONS = 64;
  /** Closed loop keeps this many requests in flight (as wrk -c32, h2load -c4 -m8). */
  static final int CLOSED_LOOP_CONCURRENCY = 32;
  private static final int H2_CONNECTIONS = 4;

  private final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  /** Runs one load against {@code target} for {@code duration}; blocks until it is over. */
  LoadResult run(Scenario scenario, Load load, InetSocketAddress target, Duration duration)
      throws InterruptedException {
    EventLoop loop = group.next();
    // Owned here: every request writes a retained duplicate, which its encoder releases.
    ByteBuf body = requestBody(scenario);
    LoadRun run = new LoadRun(loop, load, duration);
    List<Channel> channels = new ArrayList<>();
    List<Lane> lanes = new ArrayList<>();
    try {
      for (int i = 0; i < connections(scenario, load); i++) {
        channels.add(connect(scenario, load, target, body, run, lanes));
      }
      awaitEstablished(lanes);
      loop.execute(run::start);
      return run.result().get(duration.toMillis() + LoadRun.GRACE.toMillis() + 10_000,
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("load run against " + target + " failed", e);
    } finally {
      for (Channel channel : channels) {
        channel.close().awaitUninterruptibly();
      }
      body.release();
    }
  }

  private static int connections(Scenario scenario, Load load) {
    if (scenario.multiplexed()) {
      return H2_CONNECTIONS;
    }
    return load.openLoop() ? OPEN_LOOP_H1_CONNECTIONS : CLOSED_LOOP_CONCURRENCY;
  }

  private static ByteBuf requestBody(Scenario scenario) {
    if (scenario.protocol == Scenario.Protocol.GRPC) {
      return GrpcFrames.frame(scenario.requestBytes);
    }
    return Unpooled.buffer(scenario.requestBytes).writeZero(scenario.requestBytes);
  }

  /**
   * Waits until every lane can carry its capacity (h2: the peer's stream limit is known; a request
   * sent before could exceed it). Set-up, not measurement: a short poll is enough.
   */
  private static void awaitEstablished(List<Lane> lanes) throws InterruptedException {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    while (!lanes.stream().allMatch(Lane::established)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a connection was not ready within " + CONNECT_TIMEOUT
            + " (no HTTP/2 SETTINGS from the peer)");
      }
      Thread.sleep(1);
    }
  }

  private Channel connect(Scenario scenario, Load load, InetSocketAddress target, ByteBuf body,
      LoadRun run, List<Lane> lanes) throws InterruptedException {
    String authority = target.getHostString() + ":" + target.getPort();
    Lane lane = scenario.multiplexed()
        ? new H2Lane(scenario, authority, body, run,
            load.openLoop() ? Integer.MAX_VALUE : CLOSED_LOOP_CONCURRENCY / H2_CONNECTIONS)
        : new Http1Lane(scenario, authority, body, run);
    Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            lane.install(ch.pipeline());
          }
        })
        .connect(target).sync().channel();
    run.add(lane);
    lanes.add(lane);
    return channel;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
