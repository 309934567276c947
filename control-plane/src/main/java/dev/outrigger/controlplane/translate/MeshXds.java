package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.file.MeshModelListener;
import dev.outrigger.controlplane.xds.NodeResolver;
import dev.outrigger.controlplane.xds.Resources;
import dev.outrigger.controlplane.xds.Scheduler;
import dev.outrigger.controlplane.xds.XdsCache;
import dev.outrigger.controlplane.xds.XdsEventListener;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh served over xDS: the current model, the {@link EndpointRegistry} fed by the xDS
 * server's stream events, and the {@link Translator}. A new model or a change of the registered
 * proxies re-translates on the scheduler's thread (stream threads only record the change; changes
 * that come while one is pending are folded into it) and sets every known proxy's resources in
 * the cache, which pushes only those that differ. Translations are {@link SharedTranslations}:
 * once per proxy shape, not per proxy, so a connecting node is resolved from what is already
 * translated.
 *
 * <pre>
 * MeshXds mesh = new MeshXds(model, scheduler, MeshXds.DEFAULT_GRACE);
 * XdsServer xds = XdsServer.builder(registry).resolver(mesh).events(mesh).build();
 * mesh.serveTo(xds.cache());
 * directory.onModel(mesh);
 * </pre>
 */
public final class MeshXds implements NodeResolver, XdsEventListener, MeshModelListener,
    EndpointRegistry.Changes {
  /** Long enough for a proxy's reconnect with backoff, short enough that a dead one goes soon. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(15);
  /**
   * How long a restarted control plane keeps the sidecars registered before it as endpoints:
   * longer than a sidecar's longest reconnect backoff (30 s), so each one still alive is back first.
   */
  public static final Duration RESTART_GRACE = Duration.ofSeconds(45);
  private static final Logger log = LoggerFactory.getLogger(MeshXds.class);

  private final Scheduler scheduler;
  private final EndpointRegistry registry;
  /** The registered sidecars' nodes, for the journal. */
  private final Map<String, Node> registered = new ConcurrentHashMap<>();
  private volatile NodeJournal journal;
  private final SharedTranslations translations;
  private final AtomicBoolean republishPending = new AtomicBoolean();
  private volatile MeshModel model;
  private volatile XdsCache cache;

  public MeshXds(MeshModel model, Scheduler scheduler, Duration grace) {
    this.model = Objects.requireNonNull(model);
    this.scheduler = scheduler;
    this.registry = new EndpointRegistry(scheduler, grace, this);
    this.translations = new SharedTranslations(model, warning -> log.warn("translation: {}", warning));
  }

  /** Where translated resources go; set once, right after the xDS server is built. */
  public void serveTo(XdsCache cache) {
    this.cache = cache;
  }

  public EndpointRegistry registry() {
    return registry;
  }

  /**
   * Keeps the registered sidecars in {@code journal} from now on, and takes back the ones it
   * holds from before a restart: each is an endpoint for {@link #RESTART_GRACE}, as if its stream
   * had just ended, unless it reconnects. Call it before the xDS server listens.
   */
  public void remember(NodeJournal journal) throws IOException {
    for (Node node : journal.load()) {
      Workload workload = workload(node, true);
      if (workload.workload().isPresent()) {
        registered.put(node.getId(), node);
        registry.restored(workload, RESTART_GRACE);
      }
    }
    // The first sidecars to reconnect are resolved before any republish: they must see these endpoints.
    translations.update(model, registry.endpoints());
    this.journal = journal;
  }

  /** The latest published translation for the node's shape; its own connect brings a fresher one. */
  @Override
  public Resources resolve(Node node) {
    return translations.resources(shape(workload(node, false)));
  }

  @Override
  public void connected(Node node) {
    Workload workload = workload(node, true);
    if (workload.workload().isPresent()) {
      registered.put(node.getId(), node);
    }
    registry.connected(workload);
  }

  @Override
  public void disconnected(String nodeId) {
    registry.disconnected(nodeId);
  }

  @Override
  public void modelChanged(MeshModel newModel) {
    model = newModel;
    scheduleRepublish();
  }

  @Override
  public void proxiesChanged() {
    scheduleRepublish();
  }

  @Override
  public void proxyGone(String nodeId) {
    registered.remove(nodeId);
    Optional.ofNullable(cache).ifPresent(c -> c.remove(nodeId));
  }

  /** Translations made so far: what sharing saves is counted, not timed. */
  long translations() {
    return translations.translations();
  }

  private void scheduleRepublish() {
    if (republishPending.compareAndSet(false, true)) {
      scheduler.schedule(Duration.ZERO, this::republish);
    }
  }

  /** Every known proxy from the latest model and endpoints; serialized so the last one wins. */
  private synchronized void republish() {
    republishPending.set(false);
    List<Workload> proxies = registry.proxies();
    translations.update(model, Endpoints.of(proxies));
    XdsCache target = cache;
    if (target == null) {
      return;
    }
    for (Workload proxy : proxies) {
      target.set(proxy.nodeId(), translations.resources(shape(proxy)));
    }
    NodeJournal kept = journal;
    if (kept != null) {
      try {
        kept.save(registered.values());
      } catch (IOException e) {
        log.warn("could not keep the registered proxies for a restart: {}", e.toString());
      }
    }
  }

  private static ProxyShape shape(Workload proxy) {
    return ProxyShape.of(proxy);
  }
  /**
   * A node whose metadata cannot be read is served as a node without a workload; said once per
   * stream ({@code report} on connect, not again when it is resolved).
   */
  private static Workload workload(Node node, boolean report) {
    try {
      return Workload.of(node);
    } catch (IllegalArgumentException e) {
      if (report) {
        log.warn("{}; serving it without a workload (no inbound listener, not an endpoint)",
            e.getMessage());
      }
      return new Workload(node.getId(), Optional.empty());
    }
  }
}
