package dev.outrigger.proxy.upstream;

import java.util.Arrays;
import java.util.List;

/**
 * RING_HASH as Envoy builds it (ketama): each endpoint hashed onto a ring of 64-bit points
 * ({@code xxHash64("<address>_<i>")}) as many times as its share of the ring, and a request goes to
 * the first point at or after its hash, wrapping around. The least-weighted endpoint gets at least
 * {@code ceil(minimum * its share)} points; the ring never exceeds {@code maximum}. Removing an
 * endpoint moves only the keys that landed on its points.
 */
final class RingHash implements LoadBalancer {
  /** The ring's points in unsigned order, stored with the sign bit flipped so signed order matches. */
  private final long[] points;
  private final Endpoint[] owners;

  RingHash(List<Endpoint> endpoints, long minimumSize, long maximumSize) {
    long totalWeight = endpoints.stream().mapToLong(e -> Math.max(1, e.weight())).sum();
    double minShare = endpoints.stream().mapToLong(e -> Math.max(1, e.weight())).min().orElse(1) / (double) totalWeight;
    double scale = Math.min(Math.ceil(minShare * minimumSize) / minShare, maximumSize);
    int size = (int) Math.ceil(scale);
    long[] hashes = new long[size + endpoints.size()];
    Endpoint[] hosts = new Endpoint[hashes.length];
    int count = 0;
    double current = 0;
    double target = 0;
    for (Endpoint endpoint : endpoints) {
      String prefix = endpoint.hashKey() + "_";
      target += scale * Math.max(1, endpoint.weight()) / totalWeight;
      for (int i = 0; current < target; i++, current++) {
        hashes[count] = XxHash64.hash(prefix + i, 0) ^ Long.MIN_VALUE;
        hosts[count] = endpoint;
        count++;
      }
    }
    Integer[] order = new Integer[count];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
    this.points = new long[count];
    this.owners = new Endpoint[count];
    for (int i = 0; i < count; i++) {
      points[i] = hashes[order[i]];
      owners[i] = hosts[order[i]];
    }
  }

  @Override
  public Endpoint pick(long hash) {
    int found = Arrays.binarySearch(points, hash ^ Long.MIN_VALUE);
    int index = found >= 0 ? found : -found - 1;
    return owners[index == points.length ? 0 : index];
  }

  int size() {
    return points.length;
  }
}
