package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.audit.AuditSink;
import dev.outrigger.controlplane.admin.AdminApi;
import dev.outrigger.controlplane.admin.AdminGrpcService;
import dev.outrigger.controlplane.admin.AdminHttpServer;
import dev.outrigger.controlplane.audit.JsonLinesAuditLog;
import dev.outrigger.controlplane.ca.Authority;
import dev.outrigger.controlplane.ca.CertificateAuthority;
import dev.outrigger.controlplane.ca.TtlPolicy;
import dev.outrigger.controlplane.ca.service.CaServer;
import dev.outrigger.controlplane.events.CertificateEvents;
import dev.outrigger.controlplane.events.Emitter;
import dev.outrigger.controlplane.events.EventHub;
import dev.outrigger.controlplane.events.ResourceEvents;
import dev.outrigger.controlplane.events.XdsEvents;
import dev.outrigger.controlplane.state.StateDir;
import dev.outrigger.controlplane.token.JoinTokens;
import dev.outrigger.controlplane.translate.MeshXds;
import dev.outrigger.controlplane.translate.NodeJournal;
import dev.outrigger.controlplane.xds.Scheduler;
import dev.outrigger.controlplane.xds.XdsServer;
import io.grpc.BindableService;
import io.grpc.Server;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spiffe.spiffeid.TrustDomain;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outrigger control-plane}: the certificate authority and the xDS server (ADS) on port
 * 15012 with TLS, and ADS in plaintext on loopback port 15010.
 */
@Command(
    name = "control-plane",
    mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {
      "Runs the control plane: the certificate authority (outrigger.ca.v1.CertificateService,"
          + " gRPC over TLS), the xDS server (envoy.service.discovery.v3.AggregatedDiscoveryService"
          + " on the CA's TLS port, and in plaintext on --xds-port), and the admin API"
          + " (outrigger.admin.v1.AdminService: gRPC on both xDS ports, JSON over HTTP on --admin-port)."
          + " On first start it creates the CA"
          + " in --state-dir and writes the trust bundle to <state-dir>/bundle.pem."
          + " See docs/identity.md and docs/control-plane.md."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by SIGTERM or Ctrl-C",
      "1:invalid command line, operator PEM files or mesh configuration (--config-dir)",
      "3:could not start (state directory unusable, port in use)"
    })
final class ControlPlaneCommand implements Callable<Integer> {
  private final Clock clock;
  private final StopSignal stop;

  @Spec private CommandSpec spec;
  @Mixin private StateDirOption stateDir;
  @Mixin private AuthorityFiles firstAuthority;
  @Mixin private XdsOptions xdsOptions;
  @Mixin private ConfigDirOption configDir;
  @Mixin private EventsOptions eventsOptions;
  @Mixin private AdminOptions adminOptions;

  @Option(names = "--trust-domain", paramLabel = "NAME", defaultValue = "cluster.local",
      description = "Trust domain of every SPIFFE ID the CA signs (default: ${DEFAULT-VALUE},"
          + " Kubernetes' and Istio's default).")
  private String trustDomain;

  @Option(names = "--listen-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address the CA listens on (default: ${DEFAULT-VALUE}).")
  private String listenAddress;

  @Option(names = "--ca-port", paramLabel = "PORT", defaultValue = "15012",
      description = "Port of the CA's gRPC server, TLS (default: ${DEFAULT-VALUE}; 0: any free port).")
  private int caPort;

  @Option(names = "--default-ttl", paramLabel = "DURATION", defaultValue = "24h",
      converter = DurationConverter.class,
      description = "Lifetime of a leaf when the CSR asks for none (default: ${DEFAULT-VALUE}).")
  private Duration defaultTtl;

  @Option(names = "--max-ttl", paramLabel = "DURATION", defaultValue = "7d",
      converter = DurationConverter.class,
      description = "Longest lifetime a CSR may ask for; longer asks are capped (default: ${DEFAULT-VALUE}).")
  private Duration maxTtl;

  ControlPlaneCommand(Clock clock, StopSignal stop) {
    this.clock = clock;
    this.stop = stop;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    TrustDomain domain = TrustDomain.parse(trustDomain);
    TtlPolicy ttl = new TtlPolicy(defaultTtl, maxTtl);
    Authority operator = firstAuthority.given() ? firstAuthority.load(clock.instant()) : null;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(listenAddress), caPort);
    ConfigDirOption.Watched mesh = configDir.given() ? configDir.loadAndWatch() : null;
    if (mesh != null && !mesh.directory().model().meshConfig().trustDomain().equals(domain.getName())) {
      // Every peer check and RBAC principal would name the model's domain while the CA signs the other.
      String modelDomain = mesh.directory().model().meshConfig().trustDomain();
      mesh.close();
      throw new IllegalArgumentException("the mesh model's MeshConfig spec.trustDomain is " + modelDomain
          + " but the CA signs for --trust-domain " + domain.getName() + "; make them the same");
    }
    StateDir dir = stateDir.open();
    CertificateAuthority ca = CertificateAuthority.open(dir, domain, operator, ttl, clock);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EventHub events = eventsOptions.open(dir, metrics);
    Emitter emitter = new Emitter(Emitter.CONTROL_PLANE, clock, events);
    AuditSink audit =
        new JsonLinesAuditLog(dir.resolve("audit.log")).andThen(new CertificateEvents(emitter));
    if (mesh != null) {
      mesh.directory().onEvent(new ResourceEvents(emitter));
    }
    Scheduler.SystemScheduler meshScheduler = Scheduler.system();
    MeshXds meshXds = mesh != null && xdsOptions.servesMesh()
        ? new MeshXds(mesh.directory().model(), meshScheduler, MeshXds.DEFAULT_GRACE) : null;
    XdsServer xds = xdsOptions.build(metrics, meshXds, new XdsEvents(emitter));
    if (meshXds != null) {
      mesh.directory().onModel(meshXds);
      meshXds.remember(new NodeJournal(dir.resolve("proxies.jsonl")));
    }
    AdminApi adminApi = new AdminApi(mesh == null ? null : mesh.directory(), xds, domain.getName(), events);
    BindableService admin = new AdminGrpcService(adminApi)::definition;
    Server plaintextXds = xds.listen(xdsOptions.address(), admin);
    CaServer server = null;
    AdminHttpServer adminHttp;
    try {
      server = CaServer.start(address, ca, new JoinTokens(dir, clock), audit, clock, xds.service(), admin);
      adminHttp = AdminHttpServer.start(adminOptions.address(), adminApi, metrics);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      plaintextXds.shutdownNow();
      xds.close();
      meshScheduler.close();
      events.close();
      throw e;
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    stop.onStop(stopRequested::countDown);
    PrintWriter out = spec.commandLine().getOut();
    out.println("outrigger control-plane: CA for trust domain " + domain.getName() + " on "
        + address.getAddress().getHostAddress() + ":" + server.port() + " (TLS)");
    out.println("state in " + dir.path() + "; proxies trust " + dir.resolve("bundle.pem"));
    out.println("serving certificate " + CaServer.controlPlaneId(ca) + ", "
        + server.servingCertificateSummary());
    InetSocketAddress xdsAddress = (InetSocketAddress) plaintextXds.getListenSockets().get(0);
    out.println("xDS (ADS, SotW and delta) on " + xdsAddress.getAddress().getHostAddress() + ":"
        + xdsAddress.getPort() + " (plaintext) and on the CA's port (TLS); "
        + xdsOptions.servedResources());
    if (mesh != null) {
      out.println("mesh model: " + mesh.directory().model().resources().size() + " resources from "
          + configDir.dir() + " (watched)");
    }
    out.println(adminOptions.describe(adminHttp.address(), mesh != null));
    out.flush();
    stopRequested.await();
    adminHttp.close();
    plaintextXds.shutdown();
    if (mesh != null) {
      mesh.close();
    }
    server.close();
    plaintextXds.shutdownNow();
    xds.close();
    meshScheduler.close();
    events.close();
    out.println("outrigger control-plane stopped");
    out.flush();
    return ExitCodes.OK;
  }
}
