package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exchange's timeouts on a frozen event loop whose clock the test moves, with the ticker in step. */
class ExchangeTimersTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final MockTicker ticker = Ticker.newMockTicker();
  private final List<LocalReply> expired = new ArrayList<>();
  private final ExchangeTimers timers;

  ExchangeTimersTest() {
    channel.freezeTime();
    timers = new ExchangeTimers(channel.eventLoop(), ticker, expired::add);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void advance(long millis) {
    ticker.advance(millis, TimeUnit.MILLISECONDS);
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void activityPushesTheIdleTimeoutBack() {
    timers.startIdle(Duration.ofMillis(100));
    advance(60);
    timers.touch();
    advance(40);
    assertThat(expired).isEmpty();

    advance(60);
    assertThat(expired).containsExactly(LocalReply.STREAM_IDLE_TIMEOUT);
  }

  @Test
  void routeTimeoutRunsFromTheEndOfTheRequest() {
    timers.routeTimeout(Duration.ofMillis(50), false);
    advance(200);
    assertThat(expired).isEmpty();

    timers.requestEnded();
    advance(49);
    assertThat(expired).isEmpty();
    advance(1);
    assertThat(expired).containsExactly(LocalReply.UPSTREAM_TIMEOUT);
  }

  @Test
  void requestTimeoutStopsWhenTheRequestEnds() {
    timers.startRequest(Duration.ofMillis(50));
    advance(20);
    timers.requestEnded();
    advance(100);
    assertThat(expired).isEmpty();
  }

  @Test
  void requestTimeoutFiresOnASlowRequest() {
    timers.startRequest(Duration.ofMillis(50));
    advance(50);
    assertThat(expired).containsExactly(LocalReply.REQUEST_TIMEOUT);
  }

  @Test
  void cancelStopsEverything() {
    timers.startRequest(Duration.ofMillis(10));
    timers.startIdle(Duration.ofMillis(10));
    timers.routeTimeout(Duration.ofMillis(10), true);
    timers.cancel();
    advance(100);
    assertThat(expired).isEmpty();
  }
}
