package dev.outrigger.benchmarks.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one harness run measures: scenarios × loads × topologies, each for {@code duration}, in
 * {@code rounds} rounds, after an unrecorded warm-up of every topology and scenario.
 */
record HarnessOptions(Path repo, Path resultsRoot, List<Scenario> scenarios, List<Load> loads,
    List<String> topologies, Duration duration, Duration warmup, int rounds, int proxyThreads,
    String command) {

  static final List<String> ALL_TOPOLOGIES = List.of("direct", "outrigger", "haproxy",
      "outrigger-pair", "haproxy-pair", "outrigger-pair-mtls", "haproxy-pair-mtls");

  HarnessOptions {
    for (String topology : topologies) {
      if (!ALL_TOPOLOGIES.contains(topology)) {
        throw new IllegalArgumentException("unknown topology '" + topology + "'; known: "
            + String.join(",", ALL_TOPOLOGIES));
      }
    }
    if (rounds < 1 || scenarios.isEmpty() || loads.isEmpty() || topologies.isEmpty()) {
      throw new IllegalArgumentException("nothing to measure: need a round, a scenario, a load"
          + " and a topology");
    }
  }

  boolean wants(String topology) {
    return topologies.contains(topology);
  }
}
