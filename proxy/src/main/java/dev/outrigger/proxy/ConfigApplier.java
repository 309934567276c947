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
    Map<String, RunningListener> staged = new LinkedHashMap<>();
    List<BoundFilterChains> built = new ArrayList<>();
    List<ListenerServer> bound = new ArrayList<>();
    try {
      warm(clusterUpdate);
      for (ListenerConfig listener : next.listeners()) {
        Optional<RunningListener> previous = sameAddress(listener);
        BoundFilterChains chains =
            BoundFilterChains.bind(listener, previous.map(RunningListener::chains), next.clusters().keySet(), chainFactory);
        built.add(chains);
        ListenerServer server = previous.isPresent() ? previous.get().server() : bind(listener, chains.serving(view));
        if (previous.isEmpty()) {
          bound.add(server);
        }
        staged.put(listener.name(), new RunningListener(server, chains));
      }
    } catch (RuntimeException | InterruptedException e) {
      bound.forEach(ListenerServer::stopAccepting);
      built.forEach(BoundFilterChains::abandon);
      clusterUpdate.abandon();
      throw e;
    }
    // Nothing below can fail: the new config goes live.
    clusterUpdate.publish();
    Set<String> added = new TreeSet<>();
    Set<String> updated = new TreeSet<>();
    int drained = 0;
    for (Map.Entry<String, RunningListener> entry : staged.entrySet()) {
      RunningListener now = entry.getValue();
      RunningListener before = listeners.get(entry.getKey());
      if (before == null || before.server() != now.server()) {
        added.add(entry.getKey());
        continue;
      }
      ListenerConfig was = before.server().config();
      now.server().serve(now.chains().serving(view));
      List<BoundChain> dropped = now.chains().droppedFrom(before.chains());
      if (!was.equals(now.chains().config())) {
        updated.add(entry.getKey());
      }
      dropped.forEach(chain -> chain.retire(drainTime, group));
      drained += dropped.size();
    }
    Set<String> removed = new TreeSet<>();
    for (Map.Entry<String, RunningListener> entry : listeners.entrySet()) {
      RunningListener before = entry.getValue();
      RunningListener now = staged.get(entry.getKey());
      if (now == null || now.server() != before.server()) {
        if (now == null) {
          removed.add(entry.getKey());
        }
        before.server().stopAccepting();
        before.chains().all().forEach(chain -> chain.retire(drainTime, group));
        drained += before.chains().all().size();
      }
    }
    listeners = staged;
    return new ApplyResult(
        version, clusterUpdate.added(), clusterUpdate.replaced(), clusterUpdate.removed(), added, updated, removed, drained);
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
