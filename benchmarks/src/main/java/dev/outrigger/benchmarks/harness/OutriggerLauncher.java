package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts Outrigger proxies with the launcher's own java command (`bin/outrigger java-command
 * proxy`: its JDK, sidecar JVM options and class path), timed until {@code /ready} answers 200.
 */
final class OutriggerLauncher implements ProxyLauncher {
  private final List<String> javaCommand;
  private final int concurrency;
  private final Workspace workspace;
  private final StartedProcesses started;

  OutriggerLauncher(List<String> javaCommand, int concurrency, Workspace workspace,
      StartedProcesses started) {
    this.javaCommand = javaCommand;
    this.concurrency = concurrency;
    this.workspace = workspace;
    this.started = started;
  }

  /** Asks {@code bin/outrigger} for the java command line it would run `proxy` with. */
  static List<String> launcherJavaCommand(Path repo) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(repo.resolve("bin/outrigger").toString(), "java-command",
        "proxy").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> command = new String(process.getInputStream().readAllBytes()).lines().toList();
    if (process.waitFor() != 0 || command.isEmpty()) {
      throw new IOException("bin/outrigger java-command proxy failed (messages above)");
    }
    return command;
  }

  @Override
  public String proxy() {
    return Topology.OUTRIGGER;
  }

  @Override
  public Topology single(Upstream upstream) throws IOException, InterruptedException {
    int port = Ports.free();
    int admin = Ports.free();
    ProxyInstance proxy = start("outrigger", admin, OutriggerBootstrap.edge(admin, port, upstream));
    return new Topology(Topology.Shape.SINGLE.topologyName(proxy()), Topology.Shape.SINGLE, proxy(),
        Ports.loopback(port), Ports.loopback(port), List.of(proxy));
  }

  @Override
  public Topology pair(Upstream upstream, Certificates tls) throws IOException, InterruptedException {
    Topology.Shape shape = tls == null ? Topology.Shape.PAIR : Topology.Shape.PAIR_MTLS;
    String name = shape.topologyName(proxy());
    int inboundPort = Ports.free();
    int inboundAdmin = Ports.free();
    ProxyInstance inbound = start(name + "-inbound", inboundAdmin,
        OutriggerBootstrap.inbound(inboundAdmin, inboundPort, upstream, tls));
    int port = Ports.free();
    int admin = Ports.free();
    ProxyInstance outbound = start(name + "-outbound", admin,
        OutriggerBootstrap.outbound(admin, port, inboundPort, tls));
    return new Topology(name, shape, proxy(), Ports.loopback(port), Ports.loopback(port),
        List.of(outbound, inbound));
  }

  private ProxyInstance start(String name, int adminPort, String bootstrap)
      throws IOException, InterruptedException {
    Path file = workspace.dir("outrigger").resolve(name + ".yaml");
    Files.writeString(file, bootstrap);
    List<String> command = new ArrayList<>(javaCommand);
    command.addAll(List.of("proxy", "--bootstrap", file.toString(),
        "--concurrency", Integer.toString(concurrency), "--drain-time", "0s"));
    ManagedProcess process = started.start(name, command);
    return ProxyInstance.ready(process, Readiness.untilReady(process, adminPort));
  }
}
