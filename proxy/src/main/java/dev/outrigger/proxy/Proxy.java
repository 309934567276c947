package dev.outrigger.proxy;

import dev.outrigger.proxy.accesslog.AccessLogWriters;
import dev.outrigger.proxy.admin.AdminControl;
import dev.outrigger.proxy.admin.AdminServer;
import dev.outrigger.proxy.admin.ServerState;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.identity.IdentityMetrics;
import dev.outrigger.proxy.identity.IdentityRequirements;
import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import dev.outrigger.proxy.identity.IdentitySource;
import dev.outrigger.proxy.identity.TlsContextFactory;
import dev.outrigger.proxy.identity.WorkloadIdentities;
import dev.outrigger.proxy.identity.WorkloadIdentity;
import dev.outrigger.proxy.lifecycle.ConnectionTracker;
import dev.outrigger.proxy.listener.ListenerServer;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import dev.outrigger.proxy.xds.XdsClient;
import dev.outrigger.proxy.xds.XdsStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: one event-loop group sized to the cores, the listeners of the config, its
 * clusters, and what watches them (metrics, access logs, admin server). {@link #apply} replaces
 * the config while running (see {@link ConfigApplier}); a connection reads what it serves with
 * once, when accepted.
 */
public final class Proxy implements AdminControl, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Proxy.class);
  /** The version of the config a proxy starts with. */
  public static final String STATIC_VERSION = "static";

  private final ProxyOptions options;
  private final Transport transport;
  private final EventLoopGroup group;
  private final ConnectionTracker connections = new ConnectionTracker();
  private final ProxyMetrics metrics = new ProxyMetrics();
  private final AccessLogWriters accessLogs = new AccessLogWriters();
  private final WorkloadIdentities identities;
  private final TlsContextFactory tlsContexts;
  private volatile boolean needsIdentity;
  private final AtomicReference<CompletableFuture<Boolean>> drainOnce = new AtomicReference<>();
  private volatile Optional<AdminServer> admin = Optional.empty();
  private volatile ServerState state = ServerState.INITIALIZING;
  private final UpstreamClusterManager clusters;
  private final ConfigApplier applier;
  /** The config running now and its version, for the admin server. */
  private volatile Applied applied;
  private Optional<IdentitySource> identitySource = Optional.empty();
  private volatile Optional<XdsClient> xds = Optional.empty();
  /** Started from a bootstrap with {@code dynamic_resources}, and no config from the control plane yet. */
  private volatile boolean awaitingDynamicConfig;

  private record Applied(ProxyConfig config, String version) {}

  private Proxy(ProxyOptions options) {
    this.options = options;
    this.transport = Transport.best();
    this.group = transport.newGroup(options.threads());
    FunctionCounter.builder("outrigger.access_log.dropped_lines", accessLogs, AccessLogWriters::droppedLines)
        .register(metrics.registry());
    IdentityMetrics identityMetrics = new IdentityMetrics(metrics.registry());
    this.identities = new WorkloadIdentities(identityMetrics);
    identityMetrics.watch(metrics.registry(), identities);
    this.tlsContexts = new TlsContextFactory(identities, identityMetrics, Clock.systemUTC());
    this.clusters = UpstreamClusterManager.start(Map.of(), transport, group, metrics::upstream, tlsContexts);
    this.applier =
        new ConfigApplier(
            clusters, new BoundFilterChains.Factory(metrics, accessLogs, tlsContexts, connections), group, transport,
            metrics, tlsContexts.handshakeFailures(), options.drainTime());
  }

  /** Starts every listener of {@code config}; fails (and releases what it took) if one cannot bind. */
  public static Proxy start(ProxyConfig config) throws InterruptedException {
    return start(config, ProxyOptions.defaults());
  }

  public static Proxy start(ProxyConfig config, int threads) throws InterruptedException {
    return start(config, ProxyOptions.defaults().withThreads(threads));
  }

  /**
   * Applies the config, binds the listeners, then starts the admin server (when configured): an
   * admin request can then never see, or drain, a half-started proxy.
   */
  public static Proxy start(ProxyConfig config, ProxyOptions options) throws InterruptedException {
    return start(config, options, false);
  }

  /**
   * Starts the static part of {@code bootstrap} and, when it has {@code dynamic_resources}, the
   * xDS client, which applies every complete config the control plane sends (a config that cannot
   * be applied is NACKed and the running one stays). {@code /ready} then waits for the first one; a
   * control plane that goes away leaves the last applied config serving.
   */
  public static Proxy start(LoadedBootstrap bootstrap, ProxyOptions options) throws InterruptedException {
    boolean dynamic = bootstrap.ads().isPresent();
    Proxy proxy = start(bootstrap.staticConfig(), options, dynamic);
    if (dynamic) {
      try {
        proxy.xds = Optional.of(XdsClient.start(bootstrap, proxy::applyFromControlPlane, proxy.metrics.registry()));
      } catch (RuntimeException e) {
        proxy.close();
        throw e;
      }
    }
    return proxy;
  }

  private void applyFromControlPlane(ProxyConfig next, String version) {
    try {
      apply(next, version);
      awaitingDynamicConfig = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying " + version, e);
    }
  }

  private static Proxy start(ProxyConfig config, ProxyOptions options, boolean awaitsDynamicConfig)
      throws InterruptedException {
    Proxy proxy = new Proxy(options);
    proxy.awaitingDynamicConfig = awaitsDynamicConfig;
    try {
      // Listeners bind at once; /ready waits for the first identity (Envoy's listener warming).
      proxy.identitySource = options.identitySource().map(factory -> factory.create(proxy.metrics.registry()));
      proxy.identitySource.ifPresent(source -> source.start(proxy.identities));
      // As Envoy: listeners take traffic once every cluster has its first endpoint set.
      proxy.apply(config, STATIC_VERSION);
      proxy.state = ServerState.LIVE;
      if (config.adminAddress().isPresent()) {
        proxy.admin = Optional.of(AdminServer.start(config.adminAddress().get(), proxy, proxy.metrics));
      }
    } catch (RuntimeException | InterruptedException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  /**
   * Makes {@code next} the running config, as {@link #apply(ProxyConfig, String)} does, with the
   * version {@code "unversioned"}.
   */
  public ApplyResult apply(ProxyConfig next) throws InterruptedException {
    return apply(next, "unversioned");
  }

  /**
   * Makes {@code next} the running config without dropping anything it keeps. Clusters whose
   * config is unchanged keep running (endpoints, health, pooled connections); those whose endpoints
   * alone changed (an EDS update) take the new set in place, keeping what stays; new and changed
   * ones are started and warmed before anything uses them; replaced and removed ones finish their
   * requests. Listeners that stay serve their new filter chains to new connections; connections of
   * a chain that changed or went are drained (GOAWAY / {@code Connection: close}, closed after the
   * drain time), as are those of a removed listener, which stops accepting. Callable from any
   * thread except an event loop (it waits for warming); calls run one at a time.
   *
   * @param version what {@code /config_dump} shows for this config (the xDS version)
   * @throws RuntimeException naming what cannot be built or bound (a port in use, bad TLS material,
   *     a bad access log format); the running config is then untouched
   */
  public ApplyResult apply(ProxyConfig next, String version) throws InterruptedException {
    if (IdentityRequirements.needsWorkloadIdentity(next) && options.identitySource().isEmpty()) {
      throw new IllegalStateException(
          "the config refers to the SDS secret default or ROOTCA but no identity source is configured");
    }
    synchronized (applier) {
      ApplyResult result = applier.apply(next, version);
      needsIdentity = IdentityRequirements.needsWorkloadIdentity(next);
      applied = new Applied(next, version);
      log.info("config {} applied: {}", version, result);
      return result;
    }
  }

  @Override
  public ProxyConfig config() {
    return applied.config();
  }

  @Override
  public String configVersion() {
    return applied.version();
  }

  /** {@code LIVE} only once the workload identity is loaded when the config refers to it. */
  @Override
  public ServerState state() {
    ServerState now = state;
    boolean warming = awaitingDynamicConfig || (needsIdentity && identities.current().isEmpty());
    return now == ServerState.LIVE && warming ? ServerState.INITIALIZING : now;
  }

  @Override
  public Optional<XdsStatus> xdsStatus() {
    return xds.map(XdsClient::status);
  }

  @Override
  public Optional<WorkloadIdentity> workloadIdentity() {
    return identities.current();
  }

  public String transportName() {
    return transport.name();
  }

  /** Where the named listener is bound (its real port when the config said 0). */
  public InetSocketAddress listenerAddress(String name) {
    return applier.listener(name)
        .map(ListenerServer::boundAddress)
        .orElseThrow(() -> new NoSuchElementException("no listener named " + name));
  }

  /** Where the admin server listens, when the config has one. */
  public Optional<InetSocketAddress> adminAddress() {
    return admin.map(AdminServer::address);
  }

  /**
   * Stops accepting on every listener, asks live connections to finish (GOAWAY / {@code
   * Connection: close}), waits for them up to {@code deadline}, closes the rest and stops the
   * event loops. {@code /ready} answers 503 from the first step. A second call waits for the
   * first drain instead of starting another.
   *
   * @return true when every connection finished before the deadline
   */
  public boolean drain(Duration deadline) throws InterruptedException {
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> running = drainOnce.compareAndExchange(null, mine);
    if (running != null) {
      return running.join();
    }
    try {
      state = ServerState.DRAINING;
      xds.ifPresent(XdsClient::close);
      applier.stopAccepting();
      boolean finished = connections.drain(deadline);
      if (!finished) {
        log.info("drain deadline of {} passed; closed the connections still open", deadline);
      }
      clusters.close();
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      mine.complete(finished);
      return finished;
    } catch (RuntimeException | InterruptedException e) {
      mine.completeExceptionally(e);
      throw e;
    }
  }

  @Override
  public void startDrain() {
    inBackground("outrigger-drain", () -> drain(options.drainTime()));
  }

  @Override
  public void startShutdown() {
    inBackground(
        "outrigger-shutdown",
        () -> {
          drain(options.drainTime());
          close();
          options.exit().accept(0);
        });
  }

  /** Drains without waiting, then releases the admin server, access logs and metrics. */
  @Override
  public void close() {
    try {
      drain(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.ifPresent(AdminServer::close);
    identitySource.ifPresent(IdentitySource::close);
    accessLogs.close();
    metrics.close();
  }

  /** A step that blocks (a drain) must not run on the admin event loop that asked for it. */
  private static void inBackground(String name, Step step) {
    Thread thread =
        new Thread(
            () -> {
              try {
                step.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    thread.start();
  }

  @FunctionalInterface
  private interface Step {
    void run() throws InterruptedException;
  }
}
