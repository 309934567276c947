package dev.outrigger.controlplane.demo;

import dev.outrigger.controlplane.state.StateDir;
import dev.outrigger.controlplane.token.JoinTokens;
import io.spiffe.spiffeid.SpiffeId;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code outrigger demo}: the whole mesh on one machine. The control plane (its own JVM) serves
 * the mesh config in {@code <dir>/mesh}; three sample services (apps in this JVM) each get a
 * sidecar (a JVM each) configured over xDS, with a certificate from the control plane's CA, so
 * every call between them is HTTP/2 over mTLS; the frontend calls catalog ten times a second.
 * {@link #start} returns once a call has crossed the mesh; {@link #close} stops everything, the
 * sidecars first.
 */
public final class MeshDemo implements AutoCloseable {
  private static final String CONTROL_PLANE_MAIN = "dev.outrigger.controlplane.cli.Main";
  private static final String PROXY_MAIN = "dev.outrigger.proxy.cli.Main";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration TOKEN_TTL = Duration.ofHours(1);

  private final DemoLayout layout;
  private final Path dir;
  private final List<DemoApp> apps = new ArrayList<>();
  private final List<ChildJvm> sidecars = new ArrayList<>();
  private ChildJvm controlPlane;
  private Traffic traffic;

  private MeshDemo(DemoLayout layout, Path dir) {
    this.layout = layout;
    this.dir = dir;
  }

  /**
   * Starts the mesh in {@code dir} on the default ports plus {@code portOffset}; the sidecars run
   * from {@code proxyClassPath}. Traffic reports go to {@code out}. A part that fails to start
   * stops what started and throws, naming its log.
   */
  public static MeshDemo start(Path dir, int portOffset, String proxyClassPath, PrintWriter out)
      throws IOException, InterruptedException {
    MeshDemo demo = new MeshDemo(new DemoLayout(portOffset), dir);
    try {
      demo.startParts(proxyClassPath, out);
      return demo;
    } catch (IOException | InterruptedException | RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  private void startParts(String proxyClassPath, PrintWriter out) throws IOException, InterruptedException {
    List<Integer> taken = layout.ports().stream().filter(port -> !canBind(port)).toList();
    if (!taken.isEmpty()) {
      throw new IllegalStateException("ports " + taken + " are in use (another demo?): stop what listens there,"
          + " or shift every port with --port-offset N");
    }
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path state = dir.resolve("state");
    DemoFiles.writeMesh(meshDir());
    controlPlane = ChildJvm.start("control-plane", System.getProperty("java.class.path"), CONTROL_PLANE_MAIN,
        List.of("control-plane", "--state-dir", state.toString(), "--config-dir", meshDir().toString(),
            "--trust-domain", DemoLayout.TRUST_DOMAIN, "--xds-port", Integer.toString(layout.xdsPort()),
            "--ca-port", Integer.toString(layout.caPort()), "--admin-port", Integer.toString(layout.adminPort())),
        logs.resolve("control-plane.log"));
    awaitPart(controlPlane, () -> controlPlane.output().contains("xDS (ADS"));
    for (DemoLayout.Workload workload : layout.workloads()) {
      apps.add(DemoApp.start(workload.service(), workload.app()));
      Path token = Files.writeString(dir.resolve(workload.service() + ".token"), token(state, workload));
      sidecars.add(ChildJvm.start(workload.service() + "-sidecar", proxyClassPath, PROXY_MAIN, List.of("proxy",
          "--bootstrap", DemoFiles.writeBootstrap(dir, workload, layout.xdsPort()).toString(),
          "--concurrency", "1", "--drain-time", "1s",
          "--identity", "ca", "--ca-address", "127.0.0.1:" + layout.caPort(),
          "--ca-bundle", state.resolve("bundle.pem").toString(), "--join-token-file", token.toString(),
          "--spiffe-id", workload.spiffeId()),
          logs.resolve(workload.service() + "-sidecar.log")));
    }
    for (int i = 0; i < sidecars.size(); i++) {
      int admin = layout.workloads().get(i).admin();
      awaitPart(sidecars.get(i), () -> ready(admin));
    }
    int outbound = layout.frontend().outbound();
    // Ready once a call crossed the mesh: the sidecars have each other's endpoints and certificates.
    awaitPart(sidecars.get(0), () -> answers(outbound, "catalog"));
    traffic = Traffic.start(outbound, "catalog", out);
  }

  private Path meshDir() {
    return dir.resolve("mesh");
  }

  /** The guide printed once the demo is ready: where to look, what to try. */
  public String guide() {
    DemoLayout.Workload frontend = layout.frontend();
    StringBuilder text = new StringBuilder("""

        The mesh (namespace %s, trust domain %s; every call between sidecars is HTTP/2 over mTLS):

          control plane  xDS 127.0.0.1:%d (plaintext), CA and xDS 127.0.0.1:%d (TLS), admin API 127.0.0.1:%d
        """.formatted(DemoLayout.NAMESPACE, DemoLayout.TRUST_DOMAIN, layout.xdsPort(), layout.caPort(),
        layout.adminPort()));
    for (DemoLayout.Workload w : layout.workloads()) {
      text.append("  %-13s  app 127.0.0.1:%d, sidecar outbound :%d inbound :%d admin :%d%n"
          .formatted(w.service(), w.app(), w.outbound(), w.inbound(), w.admin()));
    }
    text.append("""

        The frontend calls catalog through its sidecar ten times a second; a line every 5 s says who answered.

        Try:
          curl -H 'Host: catalog' http://127.0.0.1:%1$d/       # as the frontend: the answer names the caller's SPIFFE ID
          curl http://127.0.0.1:%2$d/metrics                   # a sidecar's metrics (each has its admin port above)
          curl http://127.0.0.1:%2$d/config_dump               # what the control plane pushed to it
          bin/outrigger ctl%5$s get proxies        # each sidecar, its identity, its config state
          bin/outrigger ctl%5$s events -f          # CloudEvents: proxies connecting, configs ACKed, resources applied

        Change a route live: edit %3$s
        (set the weights to 50 and 50, save): within a second the traffic lines show catalog-v2 answering.
        (ctl apply -f adds resources of your own; it refuses to replace one that a file in that directory defines.)

        Logs: %4$s. Press Ctrl-C to stop.
        """.formatted(frontend.outbound(), frontend.admin(), meshDir().resolve(DemoFiles.ROUTE_FILE),
        dir.resolve("logs"), layout.offset() == 0 ? "" : " --server 127.0.0.1:" + layout.adminPort()));
    return text.toString();
  }

  @Override
  public void close() throws InterruptedException {
    if (traffic != null) {
      traffic.close();
    }
    for (ChildJvm sidecar : sidecars) {
      sidecar.stop();
    }
    if (controlPlane != null) {
      controlPlane.stop();
    }
    apps.forEach(DemoApp::close);
  }

  /** A join token for the workload's SPIFFE ID, as {@code ctl token create} makes it. */
  private static String token(Path state, DemoLayout.Workload workload) throws IOException {
    return new JoinTokens(StateDir.open(state), Clock.systemUTC())
        .create(SpiffeId.parse(workload.spiffeId()), TOKEN_TTL).token();
  }

  /** Polls {@code done} until it holds; fails when the part exits or takes too long, naming its log. */
  private static void awaitPart(ChildJvm part, BooleanSupplier done) throws InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!done.getAsBoolean()) {
      if (!part.isAlive()) {
        throw new IllegalStateException(part.name() + " exited while starting; see " + part.log());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(part.name() + " did not start within " + START_TIMEOUT + "; see " + part.log());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean ready(int adminPort) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + adminPort + "/ready")
          .toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(2000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }

  private static boolean answers(int outboundPort, String host) {
    try {
      Traffic.get(outboundPort, host);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }
}
