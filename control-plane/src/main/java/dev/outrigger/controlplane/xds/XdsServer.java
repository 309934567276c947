package dev.outrigger.controlplane.xds;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The xDS server: a per-node {@link XdsCache}, the ADS service that serves it (add {@link
 * #service()} to any gRPC server, or {@link #listen} for a plaintext one), pushes debounced after
 * changes, and each stream's progress ({@link #proxies()}, metrics, {@link XdsEventListener}).
 */
public final class XdsServer implements AutoCloseable {
  public static final Duration DEFAULT_DEBOUNCE_QUIET = Duration.ofMillis(100);
  public static final Duration DEFAULT_DEBOUNCE_MAX = Duration.ofSeconds(10);

  private final XdsCache cache;
  private final ConnectedStreams streams;
  private final AdsService service;
  private final Runnable stopScheduler;

  private XdsServer(Builder builder, Executor pushes, Runnable stopScheduler) {
    this.stopScheduler = stopScheduler;
    this.streams = new ConnectedStreams(pushes);
    PushDebouncer debouncer = new PushDebouncer(builder.scheduler, builder.debounceQuiet, builder.debounceMax,
        streams::push);
    this.cache = new XdsCache(builder.resolver, builder.scheduler, debouncer::changed);
    XdsMetrics metrics = new XdsMetrics(builder.meterRegistry, streams::connectedProxies);
    this.service = new AdsService(
        new AdsContext(cache, streams, metrics, builder.events, builder.clock, builder.scheduler));
  }

  public static Builder builder(MeterRegistry meterRegistry) {
    return new Builder(meterRegistry);
  }

  public XdsCache cache() {
    return cache;
  }

  /** {@code envoy.service.discovery.v3.AggregatedDiscoveryService}, both protocol variants. */
  public BindableService service() {
    return service;
  }

  /** Every open stream and its progress per type. */
  public List<ProxyStatus> proxies() {
    return streams.status();
  }

  /**
   * Serves ADS, and the services {@code alongside} (the admin API), without TLS on {@code address}
   * (port 0: any free port) until the server is shut down.
   */
  public Server listen(InetSocketAddress address, BindableService... alongside) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address).addService(service);
    for (BindableService other : alongside) {
      builder.addService(other);
    }
    return builder.build().start();
  }

  /** Stops the push timer and push threads if the server made them; gRPC servers are the caller's to stop. */
  @Override
  public void close() {
    stopScheduler.run();
  }

  public static final class Builder {
    private final MeterRegistry meterRegistry;
    private NodeResolver resolver = NodeResolver.NOTHING;
    private Scheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private Duration debounceQuiet = DEFAULT_DEBOUNCE_QUIET;
    private Duration debounceMax = DEFAULT_DEBOUNCE_MAX;
    private XdsEventListener events = XdsEventListener.NONE;

    private Builder(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry);
    }

    public Builder resolver(NodeResolver resolver) {
      this.resolver = resolver;
      return this;
    }

    /** Where debounce timers run and push and convergence times are measured (default: system). */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** Wall-clock times in {@link ProxyStatus} (default: UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Push once no change came for {@code quiet}, and at the latest {@code max} after the first. */
    public Builder debounce(Duration quiet, Duration max) {
      this.debounceQuiet = quiet;
      this.debounceMax = max;
      return this;
    }

    public Builder events(XdsEventListener events) {
      this.events = events;
      return this;
    }

    /**
     * With a scheduler of the caller's, pushes run on its thread (tests see them done when their
     * time has advanced); with the system one, on a pool of a thread per core.
     */
    public XdsServer build() {
      if (scheduler != null) {
        return new XdsServer(this, Runnable::run, () -> { });
      }
      Scheduler.SystemScheduler system = Scheduler.system();
      scheduler = system;
      ExecutorService pushes = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
          new PushThreads());
      return new XdsServer(this, pushes, () -> {
        system.close();
        pushes.shutdownNow();
      });
    }
  }

  private static final class PushThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable runnable) {
      Thread thread = new Thread(runnable, "outrigger-xds-fanout-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
