package dev.outrigger.benchmarks.harness;

import java.util.Map;

/**
 * One load run against one topology in one round, with what its proxy processes used meanwhile:
 * CPU seconds (all processes of the topology together) and each process's peak RSS.
 */
record Measurement(int round, Scenario scenario, Load load, Topology topology, LoadResult result,
    double proxyCpuSeconds, Map<String, Long> peakRssKib) {}
