package dev.outrigger.proxy.lifecycle;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The proxy's live downstream connections, so that a drain can ask each to finish and know when
 * none is left. Each accepted connection is tracked once, until it closes; that is per connection,
 * never per request.
 */
public final class ConnectionTracker {
  private final Set<Channel> live = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
  private volatile boolean draining;

  /** Tracks {@code downstream} until it closes. Accepted during a drain, it is asked to drain at once. */
  public void track(Channel downstream) {
    live.add(downstream);
    downstream.closeFuture().addListener(closed -> forget(downstream));
    if (draining) {
      askToDrain(downstream);
    }
  }

  /**
   * Asks every live connection to finish (through its {@link Drainable}), waits until none is
   * left or {@code deadline} has passed, then closes what is still open.
   *
   * @return true when every connection finished by itself
   */
  public boolean drain(Duration deadline) throws InterruptedException {
    try {
      startDrain().get(deadline.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      closeAll();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("never completed exceptionally", e);
    }
  }

  /**
   * Asks every live connection, and every one tracked from now on, to finish, without waiting.
   *
   * @return completes once none is left
   */
  public CompletableFuture<Void> startDrain() {
    draining = true;
    live.forEach(ConnectionTracker::askToDrain);
    completeIfEmpty();
    return allClosed;
  }

  /** Closes every live connection now: what a drain does when its time is up. */
  public void closeAll() {
    live.forEach(Channel::close);
  }

  public int size() {
    return live.size();
  }

  private void forget(Channel downstream) {
    live.remove(downstream);
    if (draining) {
      completeIfEmpty();
    }
  }

  private void completeIfEmpty() {
    if (live.isEmpty()) {
      allClosed.complete(null);
    }
  }

  /**
   * Runs the connection's drain on its event loop, once even if asked twice (a connection
   * accepted as the drain begins). Scheduled rather than run here so that a connection tracked
   * mid-install has registered its {@link Drainable} by then.
   */
  private static void askToDrain(Channel downstream) {
    downstream.eventLoop().execute(
        () -> {
          Drainable drainable = downstream.attr(Drainable.Key.DRAINABLE).getAndSet(null);
          if (drainable != null && downstream.isActive()) {
            drainable.startDrain();
          }
        });
  }
}
