package dev.outrigger.proxy;

import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.identity.HandshakeFailures;
import dev.outrigger.proxy.listener.ListenerChains;
import dev.outrigger.proxy.listener.ListenerObserver;
import dev.outrigger.proxy.listener.ListenerServer;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.upstream.ClusterManager;
import dev.outrigger.proxy.upstream.ClusterUpdate;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;

/**
 * Takes the running proxy from one config to the next, make-before-break: new and changed
 * clusters are started and warmed, every filter chain is built and every new listener bound; only
 * then, with nothing left that can fail, the clusters are published, bound listeners serve their
 * new chains, and what the config no longer has is taken out of service (listeners stop
 * accepting, filter chains drain, clusters finish what they have). A failure before that point
 * releases what was built and leaves the running config untouched. Applies run one at a time.
 */
final class ConfigApplier {
  /** A bound listener and the chains it serves. */
  private record RunningListener(ListenerServer server, BoundFilterChains chains) {}

  private final UpstreamClusterManager clusters;
  private final BoundFilterChains.Factory chainFactory;
  private final EventLoopGroup group;
  private final Transport transport;
  private final ListenerObserver observer;
  private final HandshakeFailures handshakeFailures;
  private final Duration drainTime;
  private Map<String, RunningListener> listeners = Map.of();
  private boolean stopped;

  ConfigApplier(
      UpstreamClusterManager clusters,
      BoundFilterChains.Factory chainFactory,
      EventLoopGroup group,
      Transport transport,
      ListenerObserver observer,
      HandshakeFailures handshakeFailures,
      Duration drainTime) {
    this.clusters = clusters;
    this.chainFactory = chainFactory;
    this.group = group;
    this.transport = transport;
    this.observer = observer;
    this.handshakeFailures = handshakeFailures;
    this.drainTime = drainTime;
  }

  /**
   * @throws RuntimeException naming the cluster, listener or chain that cannot be built or bound;
   *     the running config is then untouched
   */
  synchronized ApplyResult apply(ProxyConfig next, String version) throws InterruptedException {
    if (stopped) {
      throw new IllegalStateException("the proxy is draining: config version " + version + " not applied");
    }
    ClusterUpdate clusterUpdate = clusters.prepare(next.clusters());
    ClusterManager view = clusterUpdate.view();
    Stage stage = new Stage();
    try {
      warm(clusterUpdate);
      for (ListenerConfig listener : next.listeners()) {
        stage.listener(listener, next, view);
      }
    } catch (RuntimeException | InterruptedException e) {
      stage.abandon();
      clusterUpdate.abandon();
      throw e;
    }
    // Nothing below can fail: the new config goes live.
    clusterUpdate.publish();
    Changes changes = new Changes();
    stage.running.forEach((name, now) -> serve(name, now, view, changes));
    listeners.forEach((name, before) -> retireIfGone(name, before, stage.running.get(name), changes));
    listeners = stage.running;
    return new ApplyResult(
        version, clusterUpdate.added(), clusterUpdate.replaced(), clusterUpdate.reassigned(), clusterUpdate.removed(),
        changes.added, changes.updated, changes.removed, changes.drained, changes.routesUpdated);
  }

  /** What an apply has built and bound so far, undone as a whole if a later step fails. */
  private final class Stage {
    final Map<String, RunningListener> running = new LinkedHashMap<>();
    private final List<BoundFilterChains> built = new ArrayList<>();
    private final List<ListenerServer> bound = new ArrayList<>();

    void listener(ListenerConfig listener, ProxyConfig next, ClusterManager view) throws InterruptedException {
      Optional<RunningListener> previous = sameAddress(listener);
      BoundFilterChains chains =
          BoundFilterChains.bind(listener, previous.map(RunningListener::chains), next.clusters().keySet(), chainFactory);
      built.add(chains);
      ListenerServer server;
      if (previous.isPresent()) {
        server = previous.get().server();
      } else {
        server = bind(listener, chains.serving(view));
        bound.add(server);
      }
      running.put(listener.name(), new RunningListener(server, chains));
    }

    void abandon() {
      bound.forEach(ListenerServer::stopAccepting);
      built.forEach(BoundFilterChains::abandon);
    }
  }

  /** What an apply did to the listeners, for its result. */
  private static final class Changes {
    final Set<String> added = new TreeSet<>();
    final Set<String> updated = new TreeSet<>();
    final Set<String> removed = new TreeSet<>();
    final Set<String> routesUpdated = new TreeSet<>();
    int drained;
  }

  /** A listener still bound serves new connections with its new chains; the chains it dropped drain. */
  private void serve(String name, RunningListener now, ClusterManager view, Changes changes) {
    RunningListener before = listeners.get(name);
    if (before == null || before.server() != now.server()) {
      changes.added.add(name);
      return;
    }
    ListenerConfig was = before.server().config();
    if (now.chains().swapRoutes()) {
      changes.routesUpdated.add(name);
    }
    now.server().serve(now.chains().serving(view));
    if (!RouteTables.equalButRoutes(was, now.chains().config())) {
      changes.updated.add(name);
    }
    retire(now.chains().droppedFrom(before.chains()), changes);
  }

  /** A listener gone from the config, or moved to another address, stops accepting and drains. */
  private void retireIfGone(String name, RunningListener before, RunningListener now, Changes changes) {
    if (now != null && now.server() == before.server()) {
      return;
    }
    if (now == null) {
      changes.removed.add(name);
    }
    before.server().stopAccepting();
    retire(before.chains().all(), changes);
  }

  private void retire(List<BoundChain> chains, Changes changes) {
    chains.forEach(chain -> chain.retire(drainTime, group));
    changes.drained += chains.size();
  }

  /** The running listener of that name, when it is bound where {@code listener} wants to be. */
  private Optional<RunningListener> sameAddress(ListenerConfig listener) {
    return Optional.ofNullable(listeners.get(listener.name()))
        .filter(running -> running.server().config().address().equals(listener.address()));
  }

  /** As Envoy's cluster warming: new and changed clusters have their endpoints before any route uses them. */
  private static void warm(ClusterUpdate update) {
    try {
      update.warmed().join();
    } catch (CompletionException e) {
      throw new IllegalStateException("clusters did not warm: " + e.getCause(), e.getCause());
    }
  }

  private ListenerServer bind(ListenerConfig listener, ListenerChains serving)
      throws InterruptedException {
    try {
      return ListenerServer.bind(serving, group, transport, observer, handshakeFailures);
    } catch (RuntimeException | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // Netty rethrows the bind's IOException undeclared.
      throw new IllegalStateException(
          "listener " + listener.name() + ": cannot bind " + listener.address() + ": " + e.getMessage(), e);
    }
  }

  /** Where the named listener is bound, if it is. */
  synchronized Optional<ListenerServer> listener(String name) {
    return Optional.ofNullable(listeners.get(name)).map(RunningListener::server);
  }

  /**
   * Stops accepting on every listener and releases their chains' TLS contexts; later applies are
   * refused. The connections are the proxy drain's.
   */
  synchronized void stopAccepting() {
    stopped = true;
    listeners.values().forEach(
        listener -> {
          listener.server().stopAccepting();
          listener.chains().all().forEach(BoundChain::release);
        });
  }
}
