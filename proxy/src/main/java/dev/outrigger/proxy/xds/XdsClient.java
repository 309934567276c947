package dev.outrigger.proxy.xds;

import dev.outrigger.proxy.bootstrap.AdsSource;
import dev.outrigger.proxy.bootstrap.ConfigError;
import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import dev.outrigger.proxy.bootstrap.XdsResources;
import dev.outrigger.proxy.bootstrap.XdsTranslator;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.http.JitteredBackoff;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's ADS client: one stream to the bootstrap's ADS cluster, LDS and CDS by wildcard, RDS
 * and EDS by the names the accepted listeners and clusters give. Each response is checked
 * together with everything accepted so far; a problem NACKs it and the previous config keeps
 * serving. A complete config goes to the {@link ConfigSink} before the response is ACKed. A lost
 * stream is opened again after a jittered exponential backoff, for as long as it takes, while the
 * last config keeps serving.
 *
 * <p>Everything runs under the client's lock: on gRPC's callback thread for responses, on the
 * scheduler's for reconnects. Not on any request path.
 */
public final class XdsClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(XdsClient.class);
  static final Duration BACKOFF_BASE = Duration.ofMillis(500);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(30);

  private final AdsSource source;
  private final XdsTranslator translator;
  private final ConfigSink sink;
  private final XdsMetrics metrics;
  private final Scheduler scheduler;
  private final LongUnaryOperator draw;
  private final Clock clock;
  private final AdsChannels channels;
  private final AdsStream.Events events = new StreamEvents();

  private JitteredBackoff backoff;
  private ManagedChannel channel;
  private AdsStream stream;
  private boolean connected;
  private boolean closed;
  private ResourceState accepted = ResourceState.EMPTY;
  /** The RDS and EDS names the current stream is subscribed to. */
  private final Map<XdsType, Set<String>> subscribed = new EnumMap<>(XdsType.class);
  private final Map<XdsType, TypeStatus> status = new EnumMap<>(XdsType.class);
  private XdsResources applied;
  private Optional<String> appliedVersion = Optional.empty();
  private Set<String> awaited = Set.of();

  private XdsClient(
      AdsSource source, XdsTranslator translator, ConfigSink sink, MeterRegistry registry, Scheduler scheduler,
      LongUnaryOperator draw, Clock clock) {
    this.source = source;
    this.translator = translator;
    this.sink = sink;
    this.metrics = new XdsMetrics(registry);
    this.scheduler = scheduler;
    this.draw = draw;
    this.clock = clock;
    this.channels = new AdsChannels(source.cluster());
    this.backoff = newBackoff();
    for (XdsType type : XdsType.values()) {
      status.put(type, TypeStatus.NONE);
    }
  }

  /** Connects to the control plane the bootstrap names; {@code bootstrap} must have an ADS source. */
  public static XdsClient start(LoadedBootstrap bootstrap, ConfigSink sink, MeterRegistry registry) {
    AdsSource source = bootstrap.ads()
        .orElseThrow(() -> new IllegalArgumentException("the bootstrap has no dynamic_resources"));
    return start(source, bootstrap.xdsTranslator(), sink, registry, Scheduler.daemon(),
        bound -> ThreadLocalRandom.current().nextLong(bound), Clock.systemUTC());
  }

  /**
   * @param draw given a bound, a uniformly drawn number below it: the reconnect backoff's jitter
   * @param clock when rejections happened, for the status
   */
  static XdsClient start(
      AdsSource source, XdsTranslator translator, ConfigSink sink, MeterRegistry registry, Scheduler scheduler,
      LongUnaryOperator draw, Clock clock) {
    XdsClient client = new XdsClient(source, translator, sink, registry, scheduler, draw, clock);
    client.connect();
    return client;
  }

  public synchronized XdsStatus status() {
    return new XdsStatus(channels.current(), connected, status, appliedVersion, awaited);
  }

  @Override
  public synchronized void close() {
    closed = true;
    disconnect();
    scheduler.close();
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    channel = channels.open();
    stream = source.delta()
        ? new DeltaStream(channel, source.node(), events)
        : new SotwStream(channel, source.node(), events);
    subscribed.clear();
    if (source.listeners()) {
      stream.subscribe(XdsType.LISTENER, Set.of(), acked(XdsType.LISTENER), accepted.versions(XdsType.LISTENER));
    }
    if (source.clusters()) {
      stream.subscribe(XdsType.CLUSTER, Set.of(), acked(XdsType.CLUSTER), accepted.versions(XdsType.CLUSTER));
    }
    resubscribe();
  }

  private void onUpdate(Update update) {
    XdsType type = update.type();
    if (!connected) {
      connected = true;
      metrics.connected(true);
      backoff = newBackoff();
    }
    status.put(type, status.get(type).received(update.version(), update.nonce()));
    if (!update.problems().isEmpty()) {
      reject(update, update.problems());
      return;
    }
    ResourceState candidate = withoutUnreferenced(
        accepted.with(update, type.isWildcard() ? null : subscribed.getOrDefault(type, Set.of())));
    XdsTranslator.Result result = translator.translate(candidate.resources());
    List<String> problems = result.errors().stream().map(ConfigError::toString).collect(Collectors.toList());
    if (problems.isEmpty() && result.config().isPresent() && !candidate.resources().equals(applied)) {
      problems = handOver(result.config().get(), candidate, versionWith(type, update.version()));
    }
    if (!problems.isEmpty()) {
      reject(update, problems);
      return;
    }
    accepted = candidate;
    awaited = result.awaited();
    stream.ack(update);
    status.put(type, status.get(type).acked());
    metrics.ack(type);
    resubscribe();
  }

  /** Gives the sink a complete config; a failure to apply it is a reason to NACK. */
  private List<String> handOver(ProxyConfig config, ResourceState from, String version) {
    try {
      sink.apply(config, version);
    } catch (RuntimeException e) {
      log.warn("the proxy could not apply xDS config {}", version, e);
      return List.of("the proxy could not apply the config: " + e.getMessage());
    }
    applied = from.resources();
    appliedVersion = Optional.of(version);
    return List.of();
  }

  /** NACKs {@code update}: the accepted state, and the config running from it, stay. */
  private void reject(Update update, List<String> problems) {
    XdsType type = update.type();
    String message = String.join("\n", problems);
    log.warn("rejected {} version {}: {}", type.label(), update.version(), message);
    stream.nack(update, acked(type), message);
    status.put(type, status.get(type).nacked(message, clock.instant()));
    metrics.nack(type);
  }

  /** The routes and assignments no accepted listener or cluster names any more are dropped. */
  private static ResourceState withoutUnreferenced(ResourceState state) {
    XdsResources resources = state.resources();
    return state
        .retain(XdsType.ROUTE, ResourceNames.routes(resources.listeners().values()))
        .retain(XdsType.ENDPOINT, ResourceNames.endpoints(resources.clusters().values()));
  }

  /** Subscribes RDS and EDS to what the accepted listeners and clusters name, when that changed. */
  private void resubscribe() {
    XdsResources resources = accepted.resources();
    subscribe(XdsType.ROUTE, ResourceNames.routes(resources.listeners().values()));
    subscribe(XdsType.ENDPOINT, ResourceNames.endpoints(resources.clusters().values()));
  }

  private void subscribe(XdsType type, Set<String> names) {
    Set<String> current = subscribed.get(type);
    if (names.equals(current) || (current == null && names.isEmpty())) {
      return;
    }
    subscribed.put(type, names);
    stream.subscribe(type, names, acked(type), accepted.versions(type));
  }

  private void onClosed(Throwable cause) {
    if (connected) {
      log.warn("the ADS stream to {} ended; the proxy keeps its config and reconnects", source.cluster().name(),
          cause);
    }
    disconnect();
    Duration delay = backoff.next();
    scheduler.schedule(delay, () -> {
      metrics.reconnect();
      connect();
    });
  }

  private void disconnect() {
    connected = false;
    metrics.connected(false);
    if (stream != null) {
      stream.close();
      stream = null;
    }
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
    }
  }

  private String acked(XdsType type) {
    return status.get(type).ackedVersion();
  }

  /** The accepted version of each type, with {@code type} at {@code version}. */
  private String versionWith(XdsType type, String version) {
    StringJoiner joined = new StringJoiner(" ");
    for (XdsType each : XdsType.values()) {
      String v = each == type ? version : acked(each);
      if (!v.isEmpty()) {
        joined.add(each.label() + "=" + v);
      }
    }
    return joined.toString();
  }

  private JitteredBackoff newBackoff() {
    return new JitteredBackoff(BACKOFF_BASE, BACKOFF_MAX, draw);
  }

  /** Callbacks of a stream that is no longer the current one are late news and dropped. */
  private final class StreamEvents implements AdsStream.Events {
    @Override
    public void onUpdate(AdsStream from, Update update) {
      synchronized (XdsClient.this) {
        if (from == stream && !closed) {
          XdsClient.this.onUpdate(update);
        }
      }
    }

    @Override
    public void onClosed(AdsStream from, Throwable cause) {
      synchronized (XdsClient.this) {
        if (from == stream && !closed) {
          XdsClient.this.onClosed(cause);
        }
      }
    }
  }
}
