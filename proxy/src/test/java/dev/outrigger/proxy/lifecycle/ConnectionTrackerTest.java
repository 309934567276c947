package dev.outrigger.proxy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.runtime.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drains over real loopback connections accepted by a Netty server that tracks them. */
class ConnectionTrackerTest {
  private final Transport transport = Transport.best();
  private final EventLoopGroup group = transport.newGroup(1);
  private final ConnectionTracker tracker = new ConnectionTracker();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A server that tracks what it accepts and installs {@code onAccept} on each connection. */
  private InetSocketAddress serve(Consumer<Channel> onAccept) throws InterruptedException {
    return (InetSocketAddress)
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelClass())
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    tracker.track(ch);
                    onAccept.accept(ch);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel()
            .localAddress();
  }

  private static boolean closedByPeer(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    InputStream in = socket.getInputStream();
    return in.read() == -1;
  }

  @Test
  void anIdleProxyDrainsAtOnce() throws Exception {
    serve(ch -> {});
    assertThat(tracker.drain(Duration.ofMinutes(5))).isTrue();
  }

  @Test
  void aHeldOpenConnectionKeepsTheDrainWaitingUntilTheDeadlineAndIsThenClosed() throws Exception {
    InetSocketAddress address = serve(ch -> {});
    try (Socket client = new Socket(address.getAddress(), address.getPort())) {
      await().until(() -> tracker.size() == 1);
      assertThat(tracker.drain(Duration.ofMillis(200))).isFalse();
      assertThat(closedByPeer(client)).isTrue();
    }
    await().until(() -> tracker.size() == 0);
  }

  @Test
  void theDrainWaitsForConnectionsToFinishAndEndsWhenTheLastOneCloses() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    InetSocketAddress address = serve(ch -> Drainable.register(ch, asked::countDown));
    Socket client = new Socket(address.getAddress(), address.getPort());
    await().until(() -> tracker.size() == 1);

    CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(this::drainForMinutes);
    assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(drained).isNotDone();
    client.close();
    assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aDrainableThatClosesItsConnectionEndsTheDrainEarly() throws Exception {
    InetSocketAddress address = serve(ch -> Drainable.register(ch, ch::close));
    try (Socket client = new Socket(address.getAddress(), address.getPort())) {
      await().until(() -> tracker.size() == 1);
      assertThat(tracker.drain(Duration.ofMinutes(5))).isTrue();
      assertThat(closedByPeer(client)).isTrue();
    }
  }

  @Test
  void aConnectionAcceptedDuringTheDrainIsAskedToDrainToo() throws Exception {
    InetSocketAddress address = serve(ch -> Drainable.register(ch, ch::close));
    assertThat(tracker.drain(Duration.ofMinutes(5))).isTrue();
    try (Socket late = new Socket(address.getAddress(), address.getPort())) {
      assertThat(closedByPeer(late)).isTrue();
    }
  }

  private boolean drainForMinutes() {
    try {
      return tracker.drain(Duration.ofMinutes(5));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
