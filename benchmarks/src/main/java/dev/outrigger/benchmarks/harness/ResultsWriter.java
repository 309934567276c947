package dev.outrigger.benchmarks.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a run's results into its directory: results.json (the options, the machine, every proxy
 * process and every row of the report), summary.md and the latency plots.
 */
final class ResultsWriter {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsWriter() {}

  static void writeAll(Report report, Path dir) throws IOException {
    writeJson(report, dir.resolve("results.json"));
    SummaryWriter.write(report, dir.resolve("summary.md"));
    Plotter.plot(report, dir);
  }

  private static void writeJson(Report report, Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("command", report.options.command());
    root.put("startedAt", report.before.time().toString());
    root.put("finishedAt", report.after.time().toString());
    root.put("machine", Map.of(
        "cores", report.before.cores(),
        "loadAverage1mBefore", report.before.loadAverage1m(),
        "loadAverage1mAfter", report.after.loadAverage1m()));
    root.put("options", options(report.options));
    root.put("outriggerJavaCommand", report.outriggerCommand);
    root.put("processes", report.processes);
    root.put("results", report.rows);
    JSON.writeValue(file.toFile(), root);
  }

  private static Map<String, Object> options(HarnessOptions options) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("scenarios", options.scenarios().stream().map(s -> s.id).toList());
    map.put("loads", options.loads().stream().map(Load::id).toList());
    map.put("topologies", options.topologies());
    map.put("durationSeconds", options.duration().toMillis() / 1000.0);
    map.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
    map.put("rounds", options.rounds());
    map.put("proxyThreads", options.proxyThreads());
    map.put("closedLoopConcurrency", LoadGenerator.CLOSED_LOOP_CONCURRENCY);
    map.put("upstream", "nginx, 1 worker");
    return map;
  }
}
