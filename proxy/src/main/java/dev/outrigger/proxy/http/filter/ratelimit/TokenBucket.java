package dev.outrigger.proxy.http.filter.ratelimit;

import io.netty.util.concurrent.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket that starts full and gets {@code tokensPerFill} back every {@code fillInterval},
 * up to {@code maxTokens}. Refilled lazily: a take works out the fills since the last take from
 * the ticker, so no timer runs. Lock-free: one {@link AtomicLong} holds the fill period of the
 * last take (high 32 bits, counted from creation, wrapping after 2³² periods) and the tokens left
 * (low 32 bits; {@code max_tokens} is a uint32).
 */
final class TokenBucket {
  private static final long LOW = 0xFFFF_FFFFL;

  private final long maxTokens;
  private final long tokensPerFill;
  private final long intervalNanos;
  private final Ticker ticker;
  private final long origin;
  private final AtomicLong state;

  TokenBucket(TokenBucketSettings settings, Ticker ticker) {
    this.maxTokens = settings.maxTokens();
    this.tokensPerFill = settings.tokensPerFill();
    this.intervalNanos = settings.fillInterval().toNanos();
    this.ticker = ticker;
    this.origin = ticker.nanoTime();
    this.state = new AtomicLong(maxTokens);
  }

  long maxTokens() {
    return maxTokens;
  }

  /** Takes a token when there is one: the tokens left after it, or -1 when the bucket is empty. */
  long tryTake() {
    long period = period();
    while (true) {
      long current = state.get();
      long tokens = refilled(current, period);
      if (tokens == 0) {
        return -1;
      }
      if (state.compareAndSet(current, ((period & LOW) << 32) | (tokens - 1))) {
        return tokens - 1;
      }
    }
  }

  /** Whole seconds, rounded up, until the next fill. */
  long secondsToNextFill() {
    long intoPeriod = (ticker.nanoTime() - origin) % intervalNanos;
    long nanos = intervalNanos - intoPeriod;
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }

  private long period() {
    return (ticker.nanoTime() - origin) / intervalNanos;
  }

  private long refilled(long state, long period) {
    long tokens = state & LOW;
    long fills = (period - (state >>> 32)) & LOW;
    if (fills > (maxTokens - tokens) / tokensPerFill) {
      return maxTokens;
    }
    return tokens + fills * tokensPerFill;
  }
}
