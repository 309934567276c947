package dev.outrigger.proxy.upstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
    List<Point> ring = new ArrayList<>(size + endpoints.size());
    double current = 0;
    double target = 0;
    for (Endpoint endpoint : endpoints) {
      String prefix = endpoint.hashKey() + "_";
      target += scale * Math.max(1, endpoint.weight()) / totalWeight;
      for (int i = 0; current < target; i++, current++) {
        ring.add(new Point(XxHash64.hash(prefix + i, 0) ^ Long.MIN_VALUE, endpoint));
      }
    }
    ring.sort(Comparator.comparingLong(Point::hash));
    this.points = ring.stream().mapToLong(Point::hash).toArray();
    this.owners = ring.stream().map(Point::owner).toArray(Endpoint[]::new);
  }

  private record Point(long hash, Endpoint owner) {}

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
