package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark: starts nginx and every topology's proxies once, warms each up, then in each
 * round measures every scenario and load on every topology back to back, the topologies' order
 * rotating from round to round so that machine drift hits all alike.
 */
final class Harness {
  private final HarnessOptions options;
  private final Path resultsDir;
  private List<String> outriggerCommand = List.of();

  Harness(HarnessOptions options, Path resultsDir) {
    this.options = options;
    this.resultsDir = resultsDir;
  }

  Report run() throws IOException, InterruptedException {
    MachineState before = MachineState.now();
    try (Workspace workspace = Workspace.create(resultsDir);
        LoadGenerator generator = new LoadGenerator();
        StartedProcesses started = new StartedProcesses(workspace.logs())) {
      Upstream upstream = Upstream.start(workspace, started);
      List<Topology> topologies = startTopologies(upstream, workspace, started);
      for (Topology topology : topologies) {
        for (Scenario scenario : options.scenarios()) {
          log("warm-up %s %s", topology.name(), scenario.id);
          check(generator.run(scenario, Load.max(), topology.entry(scenario), options.warmup()),
              topology, scenario);
        }
      }
      List<Measurement> measurements = new ArrayList<>();
      for (int round = 1; round <= options.rounds(); round++) {
        List<Topology> order = rotated(topologies, round - 1);
        for (Scenario scenario : options.scenarios()) {
          for (Load load : options.loads()) {
            for (Topology topology : order) {
              measurements.add(measure(generator, round, scenario, load, topology));
            }
          }
        }
      }
      return new Report(options, before, MachineState.now(), outriggerCommand, topologies,
          measurements);
    }
  }

  private List<Topology> startTopologies(Upstream upstream, Workspace workspace,
      StartedProcesses started) throws IOException, InterruptedException {
    Certificates tls = options.wants("outrigger-pair-mtls") || options.wants("haproxy-pair-mtls")
        ? Certificates.create(workspace.dir("certificates")) : null;
    outriggerCommand = OutriggerLauncher.launcherJavaCommand(options.repo());
    List<ProxyLauncher> launchers = List.of(
        new OutriggerLauncher(outriggerCommand, options.proxyThreads(), workspace, started),
        new HaproxyLauncher(options.proxyThreads(), workspace, started));
    List<Topology> topologies = new ArrayList<>();
    if (options.wants("direct")) {
      topologies.add(Topology.direct(upstream));
    }
    for (ProxyLauncher launcher : launchers) {
      String proxy = launcher.proxy();
      if (options.wants(Topology.Shape.SINGLE.topologyName(proxy))) {
        topologies.add(launcher.single(upstream));
      }
      if (options.wants(Topology.Shape.PAIR.topologyName(proxy))) {
        topologies.add(launcher.pair(upstream, null));
      }
      if (options.wants(Topology.Shape.PAIR_MTLS.topologyName(proxy))) {
        topologies.add(launcher.pair(upstream, tls));
      }
    }
    // Report order: each Outrigger topology beside the HAProxy one it is compared with.
    topologies.sort(Comparator.comparing(
        t -> HarnessOptions.ALL_TOPOLOGIES.indexOf(t.name())));
    for (Topology topology : topologies) {
      for (ProxyInstance proxy : topology.proxies()) {
        log("%s started in %d ms, idle RSS %d MiB", proxy.name(), proxy.startup().toMillis(),
            proxy.idleRssKib() / 1024);
      }
    }
    return topologies;
  }

  private Measurement measure(LoadGenerator generator, int round, Scenario scenario, Load load,
      Topology topology) throws InterruptedException {
    double cpuBefore = cpuSeconds(topology);
    LoadResult result;
    Map<String, Long> peaks;
    try (RssSampler sampler = new RssSampler(topology.proxies())) {
      result = generator.run(scenario, load, topology.entry(scenario), options.duration());
      peaks = sampler.peaks();
    }
    double cpu = cpuSeconds(topology) - cpuBefore;
    check(result, topology, scenario);
    log("round %d %-12s %-6s %-20s %8.0f req/s  p99 %7.2f ms  errors %d", round, scenario.id,
        load.id(), topology.name(), result.throughputPerSecond(),
        result.latencyMicros().getValueAtPercentile(99) / 1000.0,
        result.failed() + result.unfinished());
    return new Measurement(round, scenario, load, topology, result, cpu, peaks);
  }

  private static double cpuSeconds(Topology topology) {
    double total = 0;
    for (ProxyInstance proxy : topology.proxies()) {
      proxy.process().checkAlive();
      total += proxy.probe().cpuSeconds();
    }
    return total;
  }

  /** A run where nothing succeeded means a broken topology, not a slow one: stop and say so. */
  private static void check(LoadResult result, Topology topology, Scenario scenario) {
    if (result.succeeded() == 0) {
      throw new IllegalStateException("no request of " + scenario.id + " succeeded through "
          + topology.name() + " (" + result.failed() + " failed); see the logs");
    }
  }

  private static <T> List<T> rotated(List<T> list, int by) {
    List<T> rotated = new ArrayList<>(list);
    Collections.rotate(rotated, -by);
    return rotated;
  }

  static void log(String format, Object... args) {
    System.out.printf("bench: " + format + "%n", args);
  }
}
