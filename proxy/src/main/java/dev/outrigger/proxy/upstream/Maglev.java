package dev.outrigger.proxy.upstream;

import java.util.List;

/**
 * MAGLEV as Envoy builds it (Google's Maglev paper with Envoy's weighting): every endpoint walks the
 * table in its own permutation ({@code offset = xxHash64(address) mod M}, {@code skip =
 * xxHash64(address, seed 1) mod (M - 1) + 1}, M prime) taking the next free slot in turn, an
 * endpoint of lower weight taking its turn less often. A request goes to {@code table[hash mod M]}:
 * one array read; removing an endpoint moves little more than its own slots.
 */
final class Maglev implements LoadBalancer {
  private final Endpoint[] table;

  Maglev(List<Endpoint> endpoints, int tableSize) {
    this.table = new Endpoint[tableSize];
    int n = endpoints.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    double[] share = new double[n];
    double[] target = new double[n];
    double maxShare = 0;
    long totalWeight = endpoints.stream().mapToLong(e -> Math.max(1, e.weight())).sum();
    for (int i = 0; i < n; i++) {
      String key = endpoints.get(i).hashKey();
      offset[i] = Long.remainderUnsigned(XxHash64.hash(key, 0), tableSize);
      skip[i] = Long.remainderUnsigned(XxHash64.hash(key, 1), tableSize - 1) + 1;
      share[i] = Math.max(1, endpoints.get(i).weight()) / (double) totalWeight;
      maxShare = Math.max(maxShare, share[i]);
    }
    int filled = 0;
    for (long iteration = 1; filled < tableSize; iteration++) {
      for (int i = 0; i < n && filled < tableSize; i++) {
        // An endpoint of the highest weight takes a slot every round, one of a third of it every third.
        if (iteration * share[i] < target[i]) {
          continue;
        }
        target[i] += maxShare;
        int slot = slot(offset[i], skip[i], next[i], tableSize);
        while (table[slot] != null) {
          next[i]++;
          slot = slot(offset[i], skip[i], next[i], tableSize);
        }
        table[slot] = endpoints.get(i);
        next[i]++;
        filled++;
      }
    }
  }

  private static int slot(long offset, long skip, long next, int tableSize) {
    return (int) ((offset + skip * next) % tableSize);
  }

  @Override
  public Endpoint pick(long hash) {
    return table[(int) Long.remainderUnsigned(hash, table.length)];
  }
}
