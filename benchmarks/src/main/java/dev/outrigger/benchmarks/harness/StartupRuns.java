package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * `bench --startup-only`: starts the single Outrigger proxy (the `outrigger` topology, in front of
 * nginx) {@code runs} times one after the other, each stopped once measured, and reports start-up
 * to {@code /ready}, the CPU time used until then and idle RSS per run, with their medians: a
 * start-up measurement repeated enough to read through a shared machine's noise.
 */
final class StartupRuns {
  private final HarnessOptions options;
  private final int runs;

  StartupRuns(HarnessOptions options, int runs) {
    if (runs < 1) {
      throw new IllegalArgumentException("--startups must be at least 1, got " + runs);
    }
    this.options = options;
    this.runs = runs;
  }

  /** Measures, writes startup.md into {@code dir} and returns its text. */
  String run(Path dir) throws IOException, InterruptedException {
    MachineState before = MachineState.now();
    List<String> command = OutriggerLauncher.launcherJavaCommand(options.repo());
    List<ProxyInstance> measured = new ArrayList<>();
    try (Workspace workspace = Workspace.create(dir);
        StartedProcesses started = new StartedProcesses(workspace.logs())) {
      Upstream upstream = Upstream.start(workspace, started);
      OutriggerLauncher launcher = new OutriggerLauncher(command, options.proxyThreads(), workspace,
          started);
      for (int run = 1; run <= runs; run++) {
        ProxyInstance proxy = launcher.single(upstream).proxies().get(0);
        proxy.process().close();
        Harness.log("start-up %d: %d ms, %.0f ms CPU, idle RSS %d MiB", run,
            proxy.startup().toMillis(), proxy.startupCpuSeconds() * 1000, proxy.idleRssKib() / 1024);
        measured.add(proxy);
      }
    }
    String text = report(before, MachineState.now(), command, measured);
    Files.writeString(dir.resolve("startup.md"), text);
    return text;
  }

  private String report(MachineState before, MachineState after, List<String> command,
      List<ProxyInstance> measured) {
    StringBuilder text = new StringBuilder("# Outrigger start-up, " + before.time() + "\n\n")
        .append("Command: `").append(options.command()).append("`\n\n")
        .append(String.format("%d start-ups of the `outrigger` topology, one at a time; %d cores;"
            + " 1-minute load average %.1f before, %.1f after.%n%n", runs, before.cores(),
            before.loadAverage1m(), after.loadAverage1m()))
        .append("Outrigger ran as: `").append(String.join(" ", command)).append("`\n\n")
        .append("| run | start-up ms | CPU ms until ready | RSS idle MiB |\n|---|---|---|---|\n");
    for (int i = 0; i < measured.size(); i++) {
      ProxyInstance proxy = measured.get(i);
      text.append(String.format("| %d | %d | %.0f | %.1f |%n", i + 1, proxy.startup().toMillis(),
          proxy.startupCpuSeconds() * 1000, proxy.idleRssKib() / 1024.0));
    }
    text.append(String.format("| median | %.0f | %.0f | %.1f |%n",
        median(measured, p -> p.startup().toMillis()),
        median(measured, p -> p.startupCpuSeconds() * 1000),
        median(measured, p -> p.idleRssKib() / 1024.0)));
    return text.toString();
  }

  private static double median(List<ProxyInstance> measured, ToDoubleFunction<ProxyInstance> value) {
    List<Double> sorted = measured.stream().map(value::applyAsDouble)
        .sorted(Comparator.naturalOrder()).toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
