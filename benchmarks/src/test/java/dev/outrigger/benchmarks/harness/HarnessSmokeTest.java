package dev.outrigger.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness for a few seconds on one scenario (HTTP/1.1 at a low fixed rate, direct and through
 * one Outrigger proxy started from the packaged jars), so that it does not rot: results.json with
 * sane numbers, summary.md and a plot. Not a measurement.
 */
class HarnessSmokeTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void shortRunWritesResultsAndPlot(@TempDir Path results) throws Exception {
    for (String tool : List.of("nginx", "haproxy")) {
      assumeTrue(onPath(tool), tool + " is not installed: apt-get install nginx-light haproxy"
          + " (what .ci/run does)");
    }
    Path repo = Path.of(System.getProperty("outrigger.repo", "..")).toAbsolutePath().normalize();
    HarnessOptions options = new HarnessOptions(repo, results, List.of(Scenario.H1_1K),
        List.of(Load.fixedRate(200)), List.of("direct", "outrigger"), Duration.ofSeconds(3),
        Duration.ofMillis(500), 1, 1, "smoke test");

    ResultsWriter.writeAll(new Harness(options, results).run(), results);

    JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
    assertThat(json.get("results")).hasSize(2);
    for (JsonNode row : json.get("results")) {
      assertThat(row.get("scenario").asText()).isEqualTo("h1-1k");
      assertThat(row.get("load").asText()).isEqualTo("200/s");
      assertThat(row.get("succeeded").asLong()).isGreaterThan(300);
      assertThat(row.get("throughputPerSecond").asDouble()).isBetween(100.0, 300.0);
      JsonNode latency = row.get("latencyMs");
      assertThat(latency.get("p50").asDouble()).isPositive();
      assertThat(latency.get("p99").asDouble()).isGreaterThanOrEqualTo(latency.get("p50").asDouble());
      assertThat(latency.get("max").asDouble()).isGreaterThanOrEqualTo(latency.get("p99").asDouble());
    }
    JsonNode outrigger = json.get("results").get(1);
    assertThat(outrigger.get("topology").asText()).isEqualTo("outrigger");
    assertThat(outrigger.get("proxyCpuSecondsPer1000Requests").asDouble()).isPositive();
    assertThat(outrigger.get("vsDirect").get("p99").asDouble()).isPositive();
    JsonNode process = json.get("processes").get(0);
    assertThat(process.get("process").asText()).isEqualTo("outrigger");
    assertThat(process.get("startupMillis").asDouble()).isPositive();
    assertThat(process.get("idleRssKib").asLong()).isGreaterThan(10_000);
    assertThat(process.get("peakRssKibByLoad").get("200/s").asLong()).isGreaterThan(10_000);

    assertThat(results.resolve("summary.md")).content().contains("| outrigger |");
    Path plot = results.resolve("latency-h1-1k-200-per-s.png");
    assertThat(Files.readAllBytes(plot)).startsWith(PNG_MAGIC);
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }
}
