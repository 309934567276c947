package dev.outrigger.proxy.http.filter.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final MockTicker ticker = Ticker.newMockTicker();

  @Test
  void threadsRacingForTokensTakeExactlyWhatTheBucketHolds() throws Exception {
    TokenBucket bucket = new TokenBucket(new TokenBucketSettings(1000, 1, Duration.ofSeconds(1)), ticker);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> taken = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      taken.add(pool.submit(() -> {
        start.await();
        int mine = 0;
        for (int i = 0; i < 1000; i++) {
          if (bucket.tryTake() >= 0) {
            mine++;
          }
        }
        return mine;
      }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> future : taken) {
      total += future.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(total).isEqualTo(1000);
  }

  @Test
  void refillsWholeFillsLazilyUpToTheMaximum() {
    TokenBucket bucket = new TokenBucket(new TokenBucketSettings(5, 2, Duration.ofMillis(100)), ticker);
    for (int i = 4; i >= 0; i--) {
      assertThat(bucket.tryTake()).isEqualTo(i);
    }
    assertThat(bucket.tryTake()).isEqualTo(-1);
    ticker.advance(250, TimeUnit.MILLISECONDS);
    assertThat(bucket.tryTake()).as("two fills of two tokens").isEqualTo(3);
    assertThat(bucket.secondsToNextFill()).as("50 ms rounds up").isEqualTo(1);
    ticker.advance(Long.MAX_VALUE / 4, TimeUnit.NANOSECONDS);
    assertThat(bucket.tryTake()).as("full after any idle time, never above max").isEqualTo(4);
  }

  @Test
  void hugeBucketsDoNotOverflow() {
    TokenBucket bucket = new TokenBucket(
        new TokenBucketSettings(0xFFFF_FFFFL, 0xFFFF_FFFFL, Duration.ofMillis(50)), ticker);
    assertThat(bucket.tryTake()).isEqualTo(0xFFFF_FFFEL);
    ticker.advance(1, TimeUnit.HOURS);
    assertThat(bucket.tryTake()).isEqualTo(0xFFFF_FFFEL);
  }
}
