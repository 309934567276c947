package dev.outrigger.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bin/outrigger bench`: runs the harness and writes results.json, summary.md and the plots. */
@Command(name = "outrigger bench", mixinStandardHelpOptions = true,
    description = "Direct, Outrigger and HAProxy topologies side by side under the same loads;"
        + " results under benchmarks/results/<timestamp>/.")
public final class Main implements Callable<Integer> {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Option(names = "--repo", required = true, description = "The repository (bin/outrigger sets it).")
  Path repo;

  @Option(names = "--quick", description = "A short run: h1-1k and grpc, loads 1000/s and max,"
      + " 3 s each, 1 round, 2 s warm-up. Explicit options still win.")
  boolean quick;

  @Option(names = "--scenarios", split = ",", paramLabel = "ID",
      description = "h1-1k, h1-64k, h1-post-64k, h2c-1k, grpc (default: all).")
  List<String> scenarios;

  @Option(names = "--topologies", split = ",", paramLabel = "NAME",
      description = "direct, outrigger, haproxy, outrigger-pair, haproxy-pair,"
          + " outrigger-pair-mtls, haproxy-pair-mtls (default: all).")
  List<String> topologies;

  @Option(names = "--loads", split = ",", paramLabel = "LOAD",
      description = "Fixed rates in requests per second, and `max` for closed loop"
          + " (default: 1000,5000,max).")
  List<String> loads;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "Per run (default 10s).")
  String duration;

  @Option(names = "--warmup", paramLabel = "SECONDS", description = "Per topology and scenario,"
      + " not recorded (default 5s).")
  String warmup;

  @Option(names = "--rounds", paramLabel = "N", description = "Default 3.")
  Integer rounds;

  @Option(names = "--proxy-threads", paramLabel = "N", defaultValue = "2",
      description = "Outrigger --concurrency and HAProxy nbthread (default 2).")
  int proxyThreads;

  @Option(names = "--out", paramLabel = "DIR", description = "Default: benchmarks/results/<UTC time>.")
  Path out;

  @Option(names = "--startup-only", description = "Only start the single Outrigger proxy --startups"
      + " times, one after the other, and report start-up to /ready, its CPU time and idle RSS"
      + " (startup.md); no load.")
  boolean startupOnly;

  @Option(names = "--startups", paramLabel = "N", defaultValue = "5",
      description = "Start-ups for --startup-only (default 5).")
  int startups;

  private String[] args = new String[0];

  public static void main(String[] args) {
    Main main = new Main();
    main.args = args;
    System.exit(new CommandLine(main).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createDirectories(out != null ? out
        : repo.resolve("benchmarks/results").resolve(STAMP.format(java.time.Instant.now())));
    if (startupOnly) {
      System.out.println(new StartupRuns(options(), startups).run(dir));
      System.out.println("bench: results in " + dir);
      return 0;
    }
    Report report = new Harness(options(), dir).run();
    ResultsWriter.writeAll(report, dir);
    System.out.println(Files.readString(dir.resolve("summary.md")));
    System.out.println("bench: results in " + dir);
    return 0;
  }

  HarnessOptions options() {
    List<String> scenarioIds = scenarios != null ? scenarios
        : quick ? List.of("h1-1k", "grpc") : Scenario.all().stream().map(s -> s.id).toList();
    List<String> loadIds = loads != null ? loads
        : quick ? List.of("1000", "max") : List.of("1000", "5000", "max");
    return new HarnessOptions(repo, repo.resolve("benchmarks/results"),
        scenarioIds.stream().map(Scenario::byId).toList(),
        loadIds.stream().map(Load::parse).toList(),
        topologies != null ? topologies : HarnessOptions.ALL_TOPOLOGIES,
        seconds(duration, quick ? 3 : 10), seconds(warmup, quick ? 2 : 5),
        rounds != null ? rounds : quick ? 1 : 3, proxyThreads,
        "bin/outrigger bench " + String.join(" ", Arrays.asList(args)).replace(
            "--repo " + repo + " ", ""));
  }

  private static Duration seconds(String text, int fallback) {
    return Duration.ofMillis(Math.round(1000
        * (text == null ? fallback : Double.parseDouble(text.replaceAll("s$", "")))));
  }
}
