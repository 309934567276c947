package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Starts HAProxy (the Debian package) for each topology, timed until its listener accepts. */
final class HaproxyLauncher implements ProxyLauncher {
  private final int threads;
  private final Workspace workspace;
  private final StartedProcesses started;

  HaproxyLauncher(int threads, Workspace workspace, StartedProcesses started) {
    this.threads = threads;
    this.workspace = workspace;
    this.started = started;
  }

  @Override
  public String proxy() {
    return Topology.HAPROXY;
  }

  @Override
  public Topology single(Upstream upstream) throws IOException, InterruptedException {
    int http1 = Ports.free();
    int h2c = Ports.free();
    ProxyInstance proxy = start("haproxy", http1,
        HaproxyConfig.edge(threads, http1, h2c, upstream));
    return new Topology(Topology.Shape.SINGLE.topologyName(proxy()), Topology.Shape.SINGLE, proxy(),
        Ports.loopback(http1), Ports.loopback(h2c), List.of(proxy));
  }

  @Override
  public Topology pair(Upstream upstream, Certificates tls) throws IOException, InterruptedException {
    Topology.Shape shape = tls == null ? Topology.Shape.PAIR : Topology.Shape.PAIR_MTLS;
    String name = shape.topologyName(proxy());
    int inboundPort = Ports.free();
    ProxyInstance inbound = start(name + "-inbound", inboundPort,
        HaproxyConfig.inbound(threads, inboundPort, upstream, tls));
    int http1 = Ports.free();
    int h2c = Ports.free();
    ProxyInstance outbound = start(name + "-outbound", http1,
        HaproxyConfig.outbound(threads, http1, h2c, inboundPort, tls));
    return new Topology(name, shape, proxy(), Ports.loopback(http1), Ports.loopback(h2c),
        List.of(outbound, inbound));
  }

  private ProxyInstance start(String name, int port, String config)
      throws IOException, InterruptedException {
    Path file = workspace.dir("haproxy").resolve(name + ".cfg");
    Files.writeString(file, config);
    ManagedProcess process = started.start(name, List.of("haproxy", "-db", "-f", file.toString()));
    return ProxyInstance.ready(process, Readiness.untilListening(process, port));
  }
}
