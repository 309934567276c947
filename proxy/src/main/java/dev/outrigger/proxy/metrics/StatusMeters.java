package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Request meters of one (listener, route, cluster), bound at config time.
 *
 * <p>Why this shape: the status code is the only label that varies per request once the route
 * and cluster are known, so the request counters sit in an array indexed by status. Meters are
 * registered on first use: pre-registering 500 codes and a histogram for every route and
 * cluster pair would flood the scrape with series that never move. Registering twice in a race
 * returns the same meter, so first use needs no lock. The
 * per-request cost is an array read, with no allocation, lock or hashing. Requests carrying
 * response flags are the error path; they are keyed by (status, flags) in a map, where a boxed
 * key is an accepted cost.
 */
final class StatusMeters {
  private static final int STATUS_CODES = 600;
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    Duration.ofSeconds(30), Duration.ofSeconds(60)
  };

  private final MeterRegistry registry;
  private final Tags tags;
  private final UpstreamMeters cluster;
  private final AtomicReferenceArray<Counter> unflagged = new AtomicReferenceArray<>(STATUS_CODES);
  private final ConcurrentHashMap<Long, Counter> flagged = new ConcurrentHashMap<>();
  private volatile Timer duration;

  /** {@code cluster} is null when the stream reached no cluster (no route, direct response). */
  StatusMeters(MeterRegistry registry, String listener, String route, String cluster, UpstreamMeters upstream) {
    this.registry = registry;
    this.tags = Tags.of("listener", listener, "route", route, "cluster", cluster);
    this.cluster = upstream;
  }

  void record(StreamInfo info) {
    requests(info.responseCode(), info.responseFlags()).increment();
    if (info.durationNanos() >= 0) {
      duration().record(info.durationNanos(), TimeUnit.NANOSECONDS);
    }
    if (cluster != null) {
      cluster.streamBytes(info);
    }
  }

  private Timer duration() {
    Timer timer = duration;
    if (timer == null) {
      timer = Timer.builder("outrigger.request.duration")
          .tags(tags)
          .serviceLevelObjectives(DURATION_BUCKETS)
          .register(registry);
      duration = timer;
    }
    return timer;
  }

  private Counter requests(int status, Set<ResponseFlag> flags) {
    int code = status > 0 && status < STATUS_CODES ? status : 0;
    if (flags.isEmpty()) {
      Counter counter = unflagged.get(code);
      if (counter == null) {
        counter = register(code, "-");
        unflagged.set(code, counter);
      }
      return counter;
    }
    long key = (flagBits(flags) << 10) | code;
    Counter counter = flagged.get(key);
    if (counter == null) {
      counter = register(code, joined(flags));
      flagged.putIfAbsent(key, counter);
    }
    return counter;
  }

  private Counter register(int code, String flags) {
    return Counter.builder("outrigger.requests")
        .tags(tags)
        .tag("code", Integer.toString(code))
        .tag("flags", flags)
        .register(registry);
  }

  private static long flagBits(Set<ResponseFlag> flags) {
    long bits = 0;
    for (ResponseFlag flag : flags) {
      bits |= 1L << flag.ordinal();
    }
    return bits;
  }

  private static String joined(Set<ResponseFlag> flags) {
    StringBuilder out = new StringBuilder();
    for (ResponseFlag flag : flags) {
      out.append(out.length() == 0 ? "" : ",").append(flag.name());
    }
    return out.toString();
  }
}
