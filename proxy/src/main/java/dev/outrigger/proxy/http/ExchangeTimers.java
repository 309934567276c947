package dev.outrigger.proxy.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The timeouts of one exchange, on its event loop: the whole request must arrive in time (request
 * timeout), the exchange must end in time after the request did (route timeout), the whole stream
 * must end in time from its start (max stream duration), and it must never sit idle too long
 * (stream idle timeout). Activity only stamps a time; the idle timer
 * re-arms itself for the remainder when it fires early, so no timer is rescheduled per message.
 */
final class ExchangeTimers {
  private final EventLoop loop;
  private final Ticker ticker;
  private final Consumer<LocalReply> onExpiry;
  private ScheduledFuture<?> requestTimer;
  private ScheduledFuture<?> routeTimer;
  private ScheduledFuture<?> idleTimer;
  private ScheduledFuture<?> durationTimer;
  private Duration routeTimeout = Duration.ZERO;
  private long idleTimeoutNanos;
  private long lastActivityNanos;

  ExchangeTimers(EventLoop loop, Ticker ticker, Consumer<LocalReply> onExpiry) {
    this.loop = loop;
    this.ticker = ticker;
    this.onExpiry = onExpiry;
  }

  void startRequest(Duration timeout) {
    requestTimer = schedule(timeout.toNanos(), () -> onExpiry.accept(LocalReply.REQUEST_TIMEOUT));
  }

  /** (Re)starts the idle timer with {@code timeout}; zero disables it. */
  void startIdle(Duration timeout) {
    cancel(idleTimer);
    idleTimeoutNanos = timeout.toNanos();
    touch();
    idleTimer = schedule(idleTimeoutNanos, this::checkIdle);
  }

  /** The stream may last {@code limit} from {@code startNanos} (its first byte); zero: no limit. */
  void maxStreamDuration(Duration limit, long startNanos) {
    if (!limit.isZero()) {
      long remaining = limit.toNanos() - (ticker.nanoTime() - startNanos);
      durationTimer = schedule(Math.max(1, remaining), () -> onExpiry.accept(LocalReply.MAX_STREAM_DURATION));
    }
  }

  void touch() {
    lastActivityNanos = ticker.nanoTime();
  }

  /** The route timeout runs from the end of the request; starts now when that has already passed. */
  void routeTimeout(Duration timeout, boolean requestEnded) {
    routeTimeout = timeout;
    if (requestEnded) {
      startRoute();
    }
  }

  void requestEnded() {
    cancel(requestTimer);
    requestTimer = null;
    startRoute();
  }

  void cancel() {
    cancel(requestTimer);
    cancel(routeTimer);
    cancel(idleTimer);
    cancel(durationTimer);
  }

  private void startRoute() {
    if (routeTimer == null) {
      routeTimer = schedule(routeTimeout.toNanos(), () -> onExpiry.accept(LocalReply.UPSTREAM_TIMEOUT));
    }
  }

  private void checkIdle() {
    long idle = ticker.nanoTime() - lastActivityNanos;
    if (idle >= idleTimeoutNanos) {
      onExpiry.accept(LocalReply.STREAM_IDLE_TIMEOUT);
    } else {
      idleTimer = schedule(idleTimeoutNanos - idle, this::checkIdle);
    }
  }

  private ScheduledFuture<?> schedule(long nanos, Runnable task) {
    return nanos <= 0 ? null : loop.schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
