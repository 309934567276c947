package dev.outrigger.proxy.upstream.health;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** An event loop whose clock stands still until the test moves it, with a ticker in step. */
final class FrozenLoop implements AutoCloseable {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  final MockTicker ticker = Ticker.newMockTicker();

  FrozenLoop() {
    channel.freezeTime();
  }

  EventLoop loop() {
    return channel.eventLoop();
  }

  /** Runs what was handed to the loop and what is due now. */
  void runPending() {
    channel.runPendingTasks();
  }

  void advance(Duration by) {
    ticker.advance(by.toNanos(), TimeUnit.NANOSECONDS);
    channel.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
    channel.runPendingTasks();
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }
}
