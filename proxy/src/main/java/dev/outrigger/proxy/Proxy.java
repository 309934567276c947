package dev.outrigger.proxy;

import dev.outrigger.proxy.accesslog.AccessLogWriters;
import dev.outrigger.proxy.admin.AdminControl;
import dev.outrigger.proxy.admin.AdminServer;
import dev.outrigger.proxy.admin.ServerState;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.identity.IdentityMetrics;
import dev.outrigger.proxy.identity.IdentityRequirements;
import dev.outrigger.proxy.identity.IdentitySource;
import dev.outrigger.proxy.identity.TlsContextFactory;
import dev.outrigger.proxy.identity.WorkloadIdentities;
import dev.outrigger.proxy.identity.WorkloadIdentity;
import dev.outrigger.proxy.lifecycle.ConnectionTracker;
import dev.outrigger.proxy.listener.ListenerServer;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: one event-loop group sized to the cores, the listeners of the config, its
 * clusters, and what watches them (metrics, access logs, admin server). The config snapshot is a
 * volatile reference read once per new connection.
 */
public final class Proxy implements AdminControl, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Proxy.class);

  private final ProxyOptions options;
  private final Transport transport;
  private final EventLoopGroup group;
  private final List<ListenerServer> listeners = new ArrayList<>();
  private final ConnectionTracker connections = new ConnectionTracker();
  private final ProxyMetrics metrics = new ProxyMetrics();
  private final AccessLogWriters accessLogs = new AccessLogWriters();
  private final WorkloadIdentities identities;
  private final TlsContextFactory tlsContexts;
  private volatile boolean needsIdentity;
  private final AtomicReference<CompletableFuture<Boolean>> drainOnce = new AtomicReference<>();
  private volatile Optional<AdminServer> admin = Optional.empty();
  private volatile ServerState state = ServerState.INITIALIZING;
  private volatile Snapshot snapshot;
  private Optional<IdentitySource> identitySource = Optional.empty();

  /** A config and the runtime objects built from it, swapped together. */
  private record Snapshot(
      ProxyConfig config, UpstreamClusterManager clusters, BoundFilterChains chains) {}

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
    Proxy proxy = new Proxy(options);
    try {
      proxy.needsIdentity = IdentityRequirements.needsWorkloadIdentity(config);
      if (proxy.needsIdentity && options.identitySource().isEmpty()) {
        throw new IllegalStateException(
            "the config refers to the SDS secret default or ROOTCA but no identity source is configured");
      }
      // Listeners bind at once; /ready waits for the first identity (Envoy's listener warming).
      proxy.identitySource = options.identitySource().map(factory -> factory.create(proxy.metrics.registry()));
      proxy.identitySource.ifPresent(source -> source.start(proxy.identities));
      proxy.snapshot =
          new Snapshot(
              config,
              UpstreamClusterManager.start(
                  config.clusters(), proxy.transport, proxy.group, proxy.metrics::upstream, proxy.tlsContexts),
              BoundFilterChains.of(config, proxy.metrics, proxy.accessLogs));
      // As Envoy: listeners take traffic once every cluster has its first endpoint set.
      proxy.snapshot.clusters().ready().join();
      for (ListenerConfig listener : config.listeners()) {
        proxy.listeners.add(
            ListenerServer.bind(
                listener, proxy.group, proxy.transport, () -> proxy.snapshot.clusters(), proxy::install,
                proxy.metrics, proxy.tlsContexts));
      }
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

  private void install(Channel downstream, ConnectionContext accepted) {
    connections.track(downstream);
    snapshot.chains().install(downstream, accepted);
  }

  @Override
  public ProxyConfig config() {
    return snapshot.config();
  }

  @Override
  public String configVersion() {
    return "static";
  }

  /** {@code LIVE} only once the workload identity is loaded when the config refers to it. */
  @Override
  public ServerState state() {
    ServerState now = state;
    return now == ServerState.LIVE && needsIdentity && identities.current().isEmpty() ? ServerState.INITIALIZING : now;
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
    return listeners.stream()
        .filter(l -> l.config().name().equals(name))
        .findFirst()
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
      listeners.forEach(ListenerServer::stopAccepting);
      boolean finished = connections.drain(deadline);
      if (!finished) {
        log.info("drain deadline of {} passed; closed the connections still open", deadline);
      }
      Snapshot current = snapshot;
      if (current != null) {
        current.clusters().close();
      }
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
