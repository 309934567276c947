package dev.outrigger.proxy.http.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Narrows a virtual host's routes to those that can match a path, keeping their order, so that a
 * request tests a handful of routes instead of all of them. Routes whose path condition pins the
 * first path segment are filed under it; the others are candidates for every path. Each segment's
 * candidates (its own routes merged with the unpinned ones, in configuration order) are computed
 * once, so a request costs one segment extraction and one hash look-up.
 */
final class CandidateIndex {
  private final Map<String, int[]> bySegment;
  private final int[] unpinned;

  CandidateIndex(List<RouteEntry> routes) {
    Map<String, List<Integer>> pinned = new HashMap<>();
    List<Integer> unpinnedList = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      String segment = routes.get(i).path.firstSegment();
      if (segment == null) {
        unpinnedList.add(i);
      } else {
        pinned.computeIfAbsent(segment, s -> new ArrayList<>()).add(i);
      }
    }
    this.unpinned = toArray(unpinnedList);
    this.bySegment = new HashMap<>();
    pinned.forEach((segment, indices) -> bySegment.put(segment, merge(toArray(indices), unpinned)));
  }

  /** Indices of the routes that may match, ascending. */
  int[] candidates(RequestView request) {
    if (bySegment.isEmpty() || request.pathEnd == 0 || request.rawPath.charAt(0) != '/') {
      return unpinned;
    }
    int slash = request.rawPath.indexOf('/', 1);
    int end = slash < 0 || slash > request.pathEnd ? request.pathEnd : slash;
    String segment = AsciiCase.toLowerCase(request.rawPath.substring(1, end));
    return bySegment.getOrDefault(segment, unpinned);
  }

  private static int[] merge(int[] a, int[] b) {
    int[] merged = new int[a.length + b.length];
    int i = 0;
    int j = 0;
    for (int k = 0; k < merged.length; k++) {
      merged[k] = j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++];
    }
    return merged;
  }

  private static int[] toArray(List<Integer> indices) {
    return indices.stream().mapToInt(Integer::intValue).toArray();
  }
}
