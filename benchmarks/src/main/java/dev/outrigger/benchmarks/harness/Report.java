package dev.outrigger.benchmarks.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The run's measurements merged over rounds per scenario, load and topology, with ratios to the
 * HAProxy topology of the same shape and to direct.
 */
final class Report {
  /** One scenario and load on one topology, over all rounds. */
  record Row(String scenario, String load, String topology, String proxy, int rounds,
      long succeeded, long failed, long unfinished, double throughputPerSecond,
      List<Double> throughputPerRound, Percentiles latencyMs, Double proxyCpuSecondsPer1000Requests,
      Map<String, Long> peakRssKib, Ratios vsHaproxy, Ratios vsDirect) {}

  /** This row's number divided by the other topology's; null where either has none. */
  record Ratios(Double p50, Double p99, Double throughput, Double cpuPer1000Requests) {}

  /** One proxy process: start-up until ready (wall and CPU), RSS once ready, its peaks per load. */
  record ProxyProcess(String topology, String process, double startupMillis,
      double startupCpuMillis, long idleRssKib, Map<String, Long> peakRssKibByLoad) {}

  final HarnessOptions options;
  final MachineState before;
  final MachineState after;
  /** The java command line Outrigger proxies ran with (the launcher's JDK and JVM options). */
  final List<String> outriggerCommand;
  final List<ProxyProcess> processes = new ArrayList<>();
  final List<Row> rows = new ArrayList<>();
  /** Latency histograms merged over rounds, by scenario, load and topology, for the plots. */
  final Map<String, Map<String, Map<String, Histogram>>> histograms = new LinkedHashMap<>();

  Report(HarnessOptions options, MachineState before, MachineState after,
      List<String> outriggerCommand, List<Topology> topologies, List<Measurement> measurements) {
    this.options = options;
    this.before = before;
    this.after = after;
    this.outriggerCommand = outriggerCommand;
    for (Topology topology : topologies) {
      for (ProxyInstance proxy : topology.proxies()) {
        Map<String, Long> peaks = new LinkedHashMap<>();
        for (Measurement m : measurements) {
          Long peak = m.peakRssKib().get(proxy.name());
          if (peak != null) {
            peaks.merge(m.load().id(), peak, Math::max);
          }
        }
        processes.add(new ProxyProcess(topology.name(), proxy.name(),
            proxy.startup().toNanos() / 1e6, proxy.startupCpuSeconds() * 1000,
            proxy.idleRssKib(), peaks));
      }
    }
    for (Scenario scenario : options.scenarios()) {
      for (Load load : options.loads()) {
        Map<String, Row> byTopology = new LinkedHashMap<>();
        for (Topology topology : topologies) {
          List<Measurement> runs = measurements.stream().filter(m -> m.scenario() == scenario
              && m.load().equals(load) && m.topology() == topology).toList();
          Histogram merged = runs.get(0).result().latencyMicros().copy();
          runs.stream().skip(1).forEach(m -> merged.add(m.result().latencyMicros()));
          histograms.computeIfAbsent(scenario.id, s -> new LinkedHashMap<>())
              .computeIfAbsent(load.id(), l -> new LinkedHashMap<>()).put(topology.name(), merged);
          byTopology.put(topology.name(), row(scenario, load, topology, runs, merged));
        }
        for (Row row : byTopology.values()) {
          Topology topology = topologies.stream().filter(t -> t.name().equals(row.topology()))
              .findFirst().orElseThrow();
          rows.add(withRatios(row, byTopology.get(topology.haproxyCounterpart()),
              byTopology.get("direct")));
        }
      }
    }
  }

  Duration elapsed() {
    return Duration.between(before.time(), after.time());
  }

  private static Row row(Scenario scenario, Load load, Topology topology, List<Measurement> runs,
      Histogram merged) {
    long succeeded = runs.stream().mapToLong(m -> m.result().succeeded()).sum();
    double cpu = runs.stream().mapToDouble(Measurement::proxyCpuSeconds).sum();
    Map<String, Long> peaks = new LinkedHashMap<>();
    runs.forEach(m -> m.peakRssKib().forEach((name, kib) -> peaks.merge(name, kib, Math::max)));
    List<Double> throughputs = runs.stream().map(m -> m.result().throughputPerSecond()).toList();
    return new Row(scenario.id, load.id(), topology.name(), topology.proxy(), runs.size(),
        succeeded, runs.stream().mapToLong(m -> m.result().failed()).sum(),
        runs.stream().mapToLong(m -> m.result().unfinished()).sum(),
        throughputs.stream().mapToDouble(Double::doubleValue).average().orElse(0), throughputs,
        Percentiles.of(merged),
        topology.proxies().isEmpty() || succeeded == 0 ? null : cpu / (succeeded / 1000.0),
        peaks, null, null);
  }

  private static Row withRatios(Row row, Row haproxy, Row direct) {
    boolean self = haproxy == row || haproxy == null;
    return new Row(row.scenario(), row.load(), row.topology(), row.proxy(), row.rounds(),
        row.succeeded(), row.failed(), row.unfinished(), row.throughputPerSecond(),
        row.throughputPerRound(), row.latencyMs(), row.proxyCpuSecondsPer1000Requests(),
        row.peakRssKib(), self ? null : ratios(row, haproxy),
        direct == row || direct == null ? null : ratios(row, direct));
  }

  private static Ratios ratios(Row row, Row other) {
    return new Ratios(ratio(row.latencyMs().p50(), other.latencyMs().p50()),
        ratio(row.latencyMs().p99(), other.latencyMs().p99()),
        ratio(row.throughputPerSecond(), other.throughputPerSecond()),
        row.proxyCpuSecondsPer1000Requests() == null
            || other.proxyCpuSecondsPer1000Requests() == null ? null
            : ratio(row.proxyCpuSecondsPer1000Requests(), other.proxyCpuSecondsPer1000Requests()));
  }

  private static Double ratio(double value, double other) {
    return other == 0 ? null : value / other;
  }
}
