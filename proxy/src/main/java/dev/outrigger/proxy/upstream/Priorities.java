package dev.outrigger.proxy.upstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Envoy's priority levels over one endpoint set. Each priority's health is the share of its
 * endpoints that are healthy times the overprovisioning factor 1.4, capped at 100%; load goes to the
 * highest priorities first, each taking up to its health, scaled up so that it sums to 100% while
 * their health sums to less. A priority whose healthy share is below the panic threshold balances
 * over all its endpoints, healthy or not; when no priority has any health left, load is spread by
 * endpoint count and every priority is in panic. The choice of priority uses the request hash for
 * hash balancers (so a key keeps its priority) and a random number otherwise.
 */
final class Priorities implements LoadBalancer {
  static final int OVERPROVISIONING_PERCENT = 140;

  /** Upper bounds (exclusive, out of 100) of each priority's load; the last is 100. */
  private final int[] cumulativeLoad;
  private final LoadBalancer[] balancers;
  private final boolean byHash;
  private final IntSupplier percentile;

  private Priorities(int[] cumulativeLoad, LoadBalancer[] balancers, boolean byHash, IntSupplier percentile) {
    this.cumulativeLoad = cumulativeLoad;
    this.balancers = balancers;
    this.byHash = byHash;
    this.percentile = percentile;
  }

  /**
   * The balancer over {@code endpoints}: {@code balancerOf} applied to the endpoints that each
   * priority balances over, wrapped in a priority choice only when more than one priority has load.
   *
   * @param percentile a random number in [0, 100) for the priority choice of non-hash balancers
   */
  static LoadBalancer over(
      List<Endpoint> endpoints,
      double panicThreshold,
      boolean byHash,
      IntSupplier percentile,
      Function<List<Endpoint>, LoadBalancer> balancerOf) {
    List<List<Endpoint>> levels = levels(endpoints);
    Plan plan = plan(levels, panicThreshold);
    List<Integer> used = new ArrayList<>();
    for (int p = 0; p < levels.size(); p++) {
      if (plan.load[p] > 0) {
        used.add(p);
      }
    }
    if (used.isEmpty()) {
      return hash -> null;
    }
    LoadBalancer[] balancers = new LoadBalancer[used.size()];
    int[] cumulative = new int[used.size()];
    int sum = 0;
    for (int i = 0; i < used.size(); i++) {
      int p = used.get(i);
      List<Endpoint> level = levels.get(p);
      balancers[i] = balancerOf.apply(plan.panic[p] ? level : level.stream().filter(Endpoint::isHealthy).toList());
      sum += plan.load[p];
      cumulative[i] = sum;
    }
    return balancers.length == 1 ? balancers[0] : new Priorities(cumulative, balancers, byHash, percentile);
  }

  @Override
  public Endpoint pick(long hash) {
    int ticket = byHash ? (int) Long.remainderUnsigned(hash, 100) : percentile.getAsInt();
    int i = 0;
    while (ticket >= cumulativeLoad[i]) {
      i++;
    }
    return balancers[i].pick(hash);
  }

  /** Each priority's load in percent (summing to 100 when there is any endpoint) and panic state. */
  record Plan(int[] load, boolean[] panic) {}

  static Plan plan(List<List<Endpoint>> levels, double panicThreshold) {
    int n = levels.size();
    int[] health = new int[n];
    boolean[] panic = new boolean[n];
    int totalHealth = 0;
    int totalHosts = 0;
    for (int p = 0; p < n; p++) {
      List<Endpoint> level = levels.get(p);
      long healthy = level.stream().filter(Endpoint::isHealthy).count();
      health[p] = level.isEmpty() ? 0 : (int) Math.min(100, OVERPROVISIONING_PERCENT * healthy / level.size());
      panic[p] = !level.isEmpty() && 100.0 * healthy / level.size() < panicThreshold;
      totalHealth += health[p];
      totalHosts += level.size();
    }
    int[] load = new int[n];
    if (totalHosts == 0) {
      return new Plan(load, panic);
    }
    int normalized = Math.min(100, totalHealth);
    int[] share = normalized == 0 ? sizes(levels) : health;
    int whole = normalized == 0 ? totalHosts : normalized;
    if (normalized == 0) {
      Arrays.fill(panic, true);
    }
    int remaining = 100;
    int first = -1;
    for (int p = 0; p < n; p++) {
      if (first < 0 && share[p] > 0) {
        first = p;
      }
      load[p] = Math.min(remaining, share[p] * 100 / whole);
      remaining -= load[p];
    }
    load[first] += remaining;
    return new Plan(load, panic);
  }

  private static int[] sizes(List<List<Endpoint>> levels) {
    return levels.stream().mapToInt(List::size).toArray();
  }

  /** Endpoints by priority, 0 first; a priority without endpoints is an empty level. */
  static List<List<Endpoint>> levels(List<Endpoint> endpoints) {
    int lowest = endpoints.stream().mapToInt(Endpoint::priority).max().orElse(0);
    List<List<Endpoint>> levels = new ArrayList<>();
    for (int p = 0; p <= lowest; p++) {
      int priority = p;
      levels.add(endpoints.stream().filter(e -> e.priority() == priority).toList());
    }
    return levels;
  }
}
