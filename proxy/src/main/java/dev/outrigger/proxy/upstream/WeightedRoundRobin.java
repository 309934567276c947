package dev.outrigger.proxy.upstream;

import java.util.List;

/**
 * ROUND_ROBIN honouring weights. The order is nginx's smooth weighted round robin (a host of weight
 * 5 among hosts of weight 1 is spread out, not picked five times in a row), computed once per
 * endpoint set into a schedule. Each event loop walks the schedule with its own cursor, so a pick
 * writes no memory shared with another loop, and every loop's picks follow the schedule exactly.
 */
final class WeightedRoundRobin implements LoadBalancer {
  /** Bounds the schedule's memory; weights whose sum exceeds it are scaled down proportionally. */
  static final int MAX_SCHEDULE_LENGTH = 4096;

  private final Endpoint[] schedule;
  private final PerThread<Cursor> cursors = new PerThread<>(Cursor::new);

  /** A position in the schedule, touched only by the thread it belongs to. */
  private static final class Cursor {
    int next;
  }

  WeightedRoundRobin(List<Endpoint> endpoints) {
    this.schedule = smoothSchedule(endpoints, scaledWeights(endpoints));
  }

  @Override
  public Endpoint pick(long hash) {
    Cursor cursor = cursors.get();
    int slot = cursor.next;
    cursor.next = slot + 1 == schedule.length ? 0 : slot + 1;
    return schedule[slot];
  }

  private static int[] scaledWeights(List<Endpoint> endpoints) {
    long total = endpoints.stream().mapToLong(e -> Math.max(1, e.weight())).sum();
    int gcd = endpoints.stream().mapToInt(e -> Math.max(1, e.weight())).reduce(WeightedRoundRobin::gcd).orElse(1);
    double scale = Math.min(1.0 / gcd, (double) MAX_SCHEDULE_LENGTH / total);
    return endpoints.stream()
        .mapToInt(e -> (int) Math.max(1, Math.round(Math.max(1, e.weight()) * scale)))
        .toArray();
  }

  private static Endpoint[] smoothSchedule(List<Endpoint> endpoints, int[] weights) {
    int total = 0;
    for (int weight : weights) {
      total += weight;
    }
    Endpoint[] order = new Endpoint[total];
    long[] current = new long[weights.length];
    for (int slot = 0; slot < total; slot++) {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      order[slot] = endpoints.get(best);
    }
    return order;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
