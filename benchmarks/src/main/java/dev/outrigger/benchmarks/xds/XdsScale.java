package dev.outrigger.benchmarks.xds;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The control plane's scale benchmark: {@link ScaleControlPlane} in a child JVM, {@code clients}
 * {@link SimulatedSidecar}s over real gRPC on loopback (a channel, so one HTTP/2 connection, per
 * {@code clients-per-channel} of them), spread round-robin over the mesh's services. Measures the
 * time until all are connected and converged, the control plane's heap per connected client, then
 * per route change (one HTTPRoute edited) the distribution of the time until each client ACKed
 * the new routes and the control plane's CPU time for it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.outrigger.benchmarks.xds.XdsScale \
 *     [--clients 1000] [--services 100] [--namespaces 10] [--clients-per-channel 100] \
 *     [--changes 3] [--control-plane-heap 4g] [--timeout 600s]
 * </pre>
 */
public final class XdsScale {
  /** Without a response to any client this long, and the control plane idle, the mesh has settled. */
  private static final Duration QUIET = Duration.ofSeconds(2);
  private static final PrintStream OUT = System.out;

  private final Options options;
  private final ScaleMesh mesh;
  private final AtomicLong activity = new AtomicLong(System.nanoTime());
  private final List<SimulatedSidecar> sidecars = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<String> report = new ArrayList<>();
  private Process controlPlane;
  private BufferedReader answers;
  private PrintWriter commands;

  private XdsScale(Options options) {
    this.options = options;
    this.mesh = new ScaleMesh(options.services, options.namespaces);
  }

  public static void main(String[] args) throws Exception {
    run(args);
  }

  /** Runs the benchmark; returns the lines of its report (also printed as they come). */
  static List<String> run(String... args) throws Exception {
    XdsScale scale = new XdsScale(Options.parse(args));
    try {
      scale.run();
    } finally {
      scale.close();
    }
    return scale.report;
  }

  private void report(String format, Object... args) {
    String line = String.format(Locale.ROOT, format, args);
    OUT.println(line);
    report.add(line);
  }

  private void run() throws Exception {
    int port = Integer.parseInt(startControlPlane().split(" ")[1]);
    report("control plane pid %d on 127.0.0.1:%d; %d clients, %d services in %d namespaces, "
            + "%d clients per channel", controlPlane.pid(), port, options.clients, options.services,
        options.namespaces, options.clientsPerChannel);
    long[] heapBefore = heap();
    long cpuBefore = cpu();
    long start = System.nanoTime();
    connect(port);
    long connected = System.nanoTime();
    awaitSettled(() -> sidecars.stream().allMatch(SimulatedSidecar::complete));
    long converged = activity.get();
    long cpuConnect = cpu() - cpuBefore;
    long[] heapAfter = heap();
    report("connect: streams opened in %.2f s; all converged after %.2f s; control plane CPU until settled %.1f s",
        seconds(connected - start), seconds(converged - start), cpuConnect / 1e9);
    report("heap after GC: %.1f MiB before, %.1f MiB with %d clients: %.1f KiB per client; "
            + "RSS %.0f MiB -> %.0f MiB", heapBefore[0] / 1048576.0, heapAfter[0] / 1048576.0, options.clients,
        (heapAfter[0] - heapBefore[0]) / 1024.0 / options.clients, heapBefore[1] / 1048576.0,
        heapAfter[1] / 1048576.0);
    for (int revision = 1; revision <= options.changes; revision++) {
      routeChange(revision);
    }
  }

  private void routeChange(int revision) throws Exception {
    String marker = ScaleMesh.marker(revision);
    sidecars.forEach(sidecar -> sidecar.await(marker));
    command("model " + revision);
    long cpuBefore = cpu();
    long changed = System.nanoTime();
    command("apply");
    long cpu = awaitSettled(() -> sidecars.stream().allMatch(sidecar -> sidecar.markerAckedAt() != 0)) - cpuBefore;
    long[] latencies = sidecars.stream().mapToLong(sidecar -> sidecar.markerAckedAt() - changed).sorted().toArray();
    report("route change %d: ACKed by all %d after p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms "
            + "(debounce 100 ms included); control plane CPU until all ACKed %.2f s", revision, latencies.length,
        millis(percentile(latencies, 50)), millis(percentile(latencies, 90)), millis(percentile(latencies, 99)),
        millis(latencies[latencies.length - 1]), cpu / 1e9);
  }

  private String startControlPlane() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    controlPlane = new ProcessBuilder(java, "-Xmx" + options.controlPlaneHeap, "-XX:+UseG1GC",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), ScaleControlPlane.class.getName(),
        Integer.toString(options.services), Integer.toString(options.namespaces))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    answers = new BufferedReader(new InputStreamReader(controlPlane.getInputStream(), StandardCharsets.UTF_8));
    commands = new PrintWriter(controlPlane.getOutputStream(), true, StandardCharsets.UTF_8);
    return answer();
  }

  private void connect(int port) {
    for (int i = 0; i < options.clients; i++) {
      if (i % options.clientsPerChannel == 0) {
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
            .maxInboundMessageSize(256 << 20).build());
      }
      int service = i % mesh.services();
      SimulatedSidecar sidecar = new SimulatedSidecar("sidecar-" + i, mesh.namespaceOf(service),
          mesh.nameOf(service), "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), activity);
      sidecars.add(sidecar);
      sidecar.start(channels.get(channels.size() - 1));
    }
  }

  /**
   * Waits for {@code done}, then until no client received anything for {@link #QUIET} and the
   * control plane used under 5% of a core meanwhile: pushes still on their way are part of it.
   * Returns the control plane's CPU time when {@code done} was first seen (polled every 50 ms).
   */
  private long awaitSettled(BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + options.timeout.toNanos();
    long cpuWhenDone = -1;
    for (int polls = 1; ; polls++) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("not settled within " + options.timeout + "; complete: "
            + sidecars.stream().filter(SimulatedSidecar::complete).count() + ", failed: "
            + sidecars.stream().filter(SimulatedSidecar::failed).count());
      }
      if (cpuWhenDone < 0) {
        if (done.getAsBoolean()) {
          cpuWhenDone = cpu();
        } else {
          Thread.sleep(50);
          if (polls % 100 == 0) {
            System.err.printf(Locale.ROOT, "  waiting: %d of %d complete%n",
                sidecars.stream().filter(SimulatedSidecar::complete).count(), sidecars.size());
          }
          continue;
        }
      }
      long cpu = cpu();
      Thread.sleep(QUIET.toMillis());
      long used = cpu() - cpu;
      long quietFor = System.nanoTime() - activity.get();
      if (used < QUIET.toNanos() / 20 && quietFor > QUIET.toNanos()) {
        return cpuWhenDone;
      }
      System.err.printf(Locale.ROOT, "  settling: control plane CPU %.1f s in the last %d s, "
          + "last response %.1f s ago%n", used / 1e9, QUIET.toSeconds(), quietFor / 1e9);
    }
  }

  private long[] heap() throws IOException {
    String[] words = command("heap").split(" ");
    return new long[] {Long.parseLong(words[1]), Long.parseLong(words[2])};
  }

  private long cpu() throws IOException {
    return Long.parseLong(command("cpu").split(" ")[1]);
  }

  private synchronized String command(String command) throws IOException {
    commands.println(command);
    return answer();
  }

  private String answer() throws IOException {
    for (String line = answers.readLine(); line != null; line = answers.readLine()) {
      if (line.startsWith(ScaleControlPlane.ANSWER)) {
        return line.substring(ScaleControlPlane.ANSWER.length());
      }
    }
    throw new IOException("the control plane exited");
  }

  private void close() throws InterruptedException {
    sidecars.forEach(SimulatedSidecar::close);
    channels.forEach(ManagedChannel::shutdownNow);
    if (controlPlane != null) {
      commands.println("quit");
      if (!controlPlane.waitFor(10, TimeUnit.SECONDS)) {
        controlPlane.destroyForcibly();
      }
    }
  }

  private static long percentile(long[] sorted, int percent) {
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private record Options(int clients, int services, int namespaces, int clientsPerChannel, int changes,
      String controlPlaneHeap, Duration timeout) {
    static Options parse(String[] args) {
      int clients = 1000;
      int services = 100;
      int namespaces = 10;
      int perChannel = 100;
      int changes = 3;
      String heap = "4g";
      Duration timeout = Duration.ofMinutes(10);
      for (int i = 0; i + 1 < args.length; i += 2) {
        String value = args[i + 1];
        switch (args[i]) {
          case "--clients" -> clients = Integer.parseInt(value);
          case "--services" -> services = Integer.parseInt(value);
          case "--namespaces" -> namespaces = Integer.parseInt(value);
          case "--clients-per-channel" -> perChannel = Integer.parseInt(value);
          case "--changes" -> changes = Integer.parseInt(value);
          case "--control-plane-heap" -> heap = value;
          case "--timeout" -> timeout = Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see " + Arrays.asList(
              "--clients", "--services", "--namespaces", "--clients-per-channel", "--changes",
              "--control-plane-heap", "--timeout"));
        }
      }
      return new Options(clients, services, namespaces, perChannel, changes, heap, timeout);
    }
  }
}
