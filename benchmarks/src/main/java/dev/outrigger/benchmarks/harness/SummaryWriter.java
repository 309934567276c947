package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes summary.md: ratios first, absolute numbers beside them, one table per kind of result. */
final class SummaryWriter {
  private final Report report;
  private final StringBuilder out = new StringBuilder();

  private SummaryWriter(Report report) {
    this.report = report;
  }

  static void write(Report report, Path file) throws IOException {
    Files.writeString(file, new SummaryWriter(report).render());
  }

  private String render() {
    HarnessOptions options = report.options;
    line("# Outrigger benchmark, %s", report.before.time());
    line("");
    line("Command: `%s`", options.command());
    line("");
    line("%d rounds of %d s per scenario, load and topology, topologies alternating; %d s warm-up"
        + " each first. %d cores; 1-minute load average %.1f before, %.1f after (anything well"
        + " above the load generator, nginx and the proxies under test means other work shared"
        + " the machine). Upstream: nginx, 1 worker. Proxy threads: %d. Took %d s.",
        options.rounds(), options.duration().toSeconds(), options.warmup().toSeconds(),
        report.before.cores(), report.before.loadAverage1m(), report.after.loadAverage1m(),
        options.proxyThreads(), report.elapsed().toSeconds());
    line("");
    line("Outrigger ran as: `%s ... proxy --bootstrap FILE --concurrency %d`",
        String.join(" ", report.outriggerCommand.subList(0,
            Math.max(0, report.outriggerCommand.size() - 3))), options.proxyThreads());
    line("");
    fixedRateTables();
    maxThroughputTable();
    processTable();
    return out.toString();
  }

  private void fixedRateTables() {
    line("## Latency at fixed rates (open loop, coordinated-omission corrected)");
    line("");
    line("Ratios are this topology's p99 over the HAProxy topology of the same shape, and over"
        + " direct; added = p99 minus direct's p99. CPU: proxy CPU seconds per 1,000 requests,"
        + " all processes of the topology together.");
    for (Scenario scenario : report.options.scenarios()) {
      for (Load load : report.options.loads()) {
        if (!load.openLoop()) {
          continue;
        }
        line("");
        line("### %s at %s (%s)", scenario.id, load.id(), scenario.description);
        line("");
        line("| topology | p99 vs HAProxy | p99 vs direct | added p99 ms | CPU vs HAProxy "
            + "| p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | CPU s/1k req | errors |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        Report.Row direct = find(scenario, load, "direct");
        for (Report.Row row : rows(scenario, load)) {
          Percentiles p = row.latencyMs();
          line("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |", row.topology(),
              ratio(row.vsHaproxy() == null ? null : row.vsHaproxy().p99()),
              ratio(row.vsDirect() == null ? null : row.vsDirect().p99()),
              direct == null || direct == row ? "—" : ms(p.p99() - direct.latencyMs().p99()),
              ratio(row.vsHaproxy() == null ? null : row.vsHaproxy().cpuPer1000Requests()),
              ms(p.p50()), ms(p.p90()), ms(p.p99()), ms(p.p999()), ms(p.max()),
              cpu(row.proxyCpuSecondsPer1000Requests()), row.failed() + row.unfinished());
        }
      }
    }
    line("");
  }

  private void maxThroughputTable() {
    if (report.options.loads().stream().noneMatch(l -> !l.openLoop())) {
      return;
    }
    line("## Maximum throughput (closed loop, %d requests in flight)",
        LoadGenerator.CLOSED_LOOP_CONCURRENCY);
    line("");
    line("| scenario | topology | req/s vs HAProxy | req/s vs direct | CPU vs HAProxy | req/s "
        + "(per round) | p99 ms | CPU s/1k req | errors |");
    line("|---|---|---|---|---|---|---|---|---|");
    for (Scenario scenario : report.options.scenarios()) {
      for (Report.Row row : rows(scenario, Load.max())) {
        line("| %s | %s | %s | %s | %s | %,.0f (%s) | %s | %s | %d |", scenario.id,
            row.topology(), ratio(row.vsHaproxy() == null ? null : row.vsHaproxy().throughput()),
            ratio(row.vsDirect() == null ? null : row.vsDirect().throughput()),
            ratio(row.vsHaproxy() == null ? null : row.vsHaproxy().cpuPer1000Requests()),
            row.throughputPerSecond(), String.join(", ", row.throughputPerRound().stream()
                .map(t -> String.format(Locale.ROOT, "%,.0f", t)).toList()),
            ms(row.latencyMs().p99()), cpu(row.proxyCpuSecondsPer1000Requests()),
            row.failed() + row.unfinished());
      }
    }
    line("");
  }

  private void processTable() {
    line("## Proxy processes");
    line("");
    line("Start-up: from spawning the process until Outrigger's `/ready` answers 200 (HAProxy:"
        + " until its listener accepts), and the CPU time the process used until then. RSS idle:"
        + " once ready, before any load. Peaks: the highest VmRSS sampled every 100 ms during the"
        + " runs of that load.");
    line("");
    StringBuilder header = new StringBuilder("| process | start-up ms | start-up CPU ms | RSS idle MiB |");
    StringBuilder rule = new StringBuilder("|---|---|---|---|");
    for (Load load : report.options.loads()) {
      header.append(" RSS peak at ").append(load.id()).append(" MiB |");
      rule.append("---|");
    }
    line("%s", header);
    line("%s", rule);
    for (Report.ProxyProcess process : report.processes) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |",
          process.process(), process.startupMillis(), process.startupCpuMillis(),
          process.idleRssKib() / 1024.0));
      for (Load load : report.options.loads()) {
        Long peak = process.peakRssKibByLoad().get(load.id());
        row.append(peak == null ? " — |" : String.format(Locale.ROOT, " %.0f |", peak / 1024.0));
      }
      line("%s", row);
    }
  }

  private List<Report.Row> rows(Scenario scenario, Load load) {
    return report.rows.stream().filter(r -> r.scenario().equals(scenario.id)
        && r.load().equals(load.id())).toList();
  }

  private Report.Row find(Scenario scenario, Load load, String topology) {
    return rows(scenario, load).stream().filter(r -> r.topology().equals(topology)).findFirst()
        .orElse(null);
  }

  private static String ratio(Double ratio) {
    return ratio == null ? "—" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  private static String ms(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  private static String cpu(Double seconds) {
    return seconds == null ? "—" : String.format(Locale.ROOT, "%.4f", seconds);
  }

  private void line(String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
