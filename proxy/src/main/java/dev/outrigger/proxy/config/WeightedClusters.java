package dev.outrigger.proxy.config;

import java.util.List;
import java.util.Map;

/**
 * One or more clusters with weights; a single cluster is a list of one with weight 1. The pick is
 * proportional to weight.
 */
public record WeightedClusters(List<Entry> entries, int totalWeight) {

  public WeightedClusters {
    entries = List.copyOf(entries);
  }

  public static WeightedClusters single(String cluster) {
    return new WeightedClusters(List.of(new Entry(cluster, 1, HeaderMutations.NONE)), 1);
  }

  public static WeightedClusters of(List<Entry> entries) {
    return new WeightedClusters(entries, entries.stream().mapToInt(Entry::weight).sum());
  }

  /**
   * Picks by a number uniform in {@code [0, totalWeight)}; the caller owns the randomness so that
   * tests can be deterministic.
   */
  public String pick(int draw) {
    int remaining = draw;
    for (Entry entry : entries) {
      remaining -= entry.weight();
      if (remaining < 0) {
        return entry.cluster();
      }
    }
    return entries.get(entries.size() - 1).cluster();
  }

  /**
   * A cluster and its weight, with header mutations applied when it is picked (HTTP only).
   *
   * @param perFilterConfig {@code typed_per_filter_config}: HTTP filter name to its override
   */
  public record Entry(
      String cluster, int weight, HeaderMutations headers, Map<String, HttpFilterSettings> perFilterConfig) {
    public Entry {
      perFilterConfig = Map.copyOf(perFilterConfig);
    }

    public Entry(String cluster, int weight, HeaderMutations headers) {
      this(cluster, weight, headers, Map.of());
    }
  }
}
