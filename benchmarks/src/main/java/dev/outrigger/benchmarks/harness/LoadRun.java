package dev.outrigger.benchmarks.harness;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One load run's schedule and bookkeeping, confined to the generator's event loop. Open loop: a
 * 1 ms tick releases every request whose intended send time has come; one that finds no lane with
 * room waits in a queue, and its latency still counts from its intended time. Closed loop: each
 * finished request is replaced at once.
 */
final class LoadRun implements Lane.Listener {
  /** How long requests still in flight at the end may take before they count as unfinished. */
  static final Duration GRACE = Duration.ofSeconds(5);
  private static final long TICK_MICROS = 1_000;
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

  private final EventLoop loop;
  private final Load load;
  private final long durationNanos;
  private final List<Lane> lanes = new ArrayList<>();
  private final Set<Lane> open = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Lanes with room for one more request. */
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  /** Intended send times of requests released by the schedule that found no lane yet. */
  private final ArrayDeque<Long> waiting = new ArrayDeque<>();
  private final Histogram latencyMicros = new Histogram(HIGHEST_MICROS, 3);
  private final CompletableFuture<LoadResult> result = new CompletableFuture<>();
  private long startNanos;
  private long nextIntendedNanos;
  private long succeeded;
  private long failed;
  private boolean issuing;
  private ScheduledFuture<?> ticker;

  LoadRun(EventLoop loop, Load load, Duration duration) {
    this.loop = loop;
    this.load = load;
    this.durationNanos = duration.toNanos();
  }

  /** Called before {@link #start()}, once per connected lane. */
  /** Called before {@link #start()}, once per connected lane. */
  /**
   * Waits, on the caller's thread before {@link #start()}, until every lane can carry its capacity
   * (h2: the peer's stream limit is known). Set-up, not measurement: a short poll is enough.
   */
  void awaitEstablished(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!lanes.stream().allMatch(Lane::established)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a connection was not ready within " + timeout
            + " (no HTTP/2 SETTINGS from the peer)");
      }
      Thread.sleep(1);
    }
  }

  void add(Lane lane) {
    loop.execute(() -> {
      lanes.add(lane);
      open.add(lane);
    });
  }

  CompletableFuture<LoadResult> result() {
    return result;
  }

  void start() {
    startNanos = System.nanoTime();
    nextIntendedNanos = startNanos;
    issuing = true;
    ready.addAll(open);
    if (load.openLoop()) {
      ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
    } else {
      for (Lane lane : lanes) {
        while (open.contains(lane) && lane.inFlight() < lane.capacity()) {
          lane.send(System.nanoTime());
        }
      }
      ready.clear();
    }
    loop.schedule(this::stopIssuing, durationNanos, TimeUnit.NANOSECONDS);
  }

  private void tick() {
    long now = System.nanoTime();
    long end = startNanos + durationNanos;
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / load.ratePerSecond();
    while (nextIntendedNanos <= now && nextIntendedNanos < end) {
      waiting.add(nextIntendedNanos);
      nextIntendedNanos += intervalNanos;
    }
    drainWaiting();
  }

  private void drainWaiting() {
    while (!waiting.isEmpty() && !ready.isEmpty()) {
      Lane lane = ready.peek();
      lane.send(waiting.poll());
      if (lane.inFlight() >= lane.capacity()) {
        ready.poll();
      }
    }
  }

  @Override
  public void completed(Lane lane, long intendedNanos, boolean ok) {
    long now = System.nanoTime();
    if (ok) {
      succeeded++;
      latencyMicros.recordValue(Math.min(HIGHEST_MICROS, (now - intendedNanos) / 1_000));
    } else {
      failed++;
    }
    if (open.contains(lane)) {
      if (!load.openLoop()) {
        if (issuing) {
          lane.send(now);
        }
      } else if (lane.inFlight() == lane.capacity() - 1) {
        ready.add(lane);
      }
      drainWaiting();
    }
    finishIfDone();
  }

  @Override
  public void closed(Lane lane) {
    open.remove(lane);
    ready.remove(lane);
    if (open.isEmpty() && issuing) {
      failed += waiting.size();
      waiting.clear();
    }
  }

  private void stopIssuing() {
    issuing = false;
    if (ticker != null) {
      ticker.cancel(false);
    }
    loop.schedule(this::finish, GRACE.toNanos(), TimeUnit.NANOSECONDS);
    finishIfDone();
  }

  private void finishIfDone() {
    if (!issuing && waiting.isEmpty() && lanes.stream().allMatch(l -> l.inFlight() == 0)) {
      finish();
    }
  }

  private void finish() {
    if (result.isDone()) {
      return;
    }
    long unfinished = waiting.size();
    for (Lane lane : lanes) {
      unfinished += lane.inFlight();
    }
    result.complete(new LoadResult(load, Duration.ofNanos(durationNanos), succeeded, failed,
        unfinished, latencyMicros));
  }
}
