package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A prepared change of the running clusters: the new and changed ones are started and warming,
 * nothing is visible yet. {@link #publish} makes it current (and closes what it replaces or
 * drops); {@link #abandon} closes what it started instead. One of the two must be called.
 */
public final class ClusterUpdate {
  private final UpstreamClusterManager manager;
  private final Map<String, RunningCluster> before;
  private final Map<String, RunningCluster> after;
  private final Map<String, RunningCluster> built;
  /** Running clusters that take new endpoints in place on publish, with their new config. */
  private final Map<String, ClusterConfig> reassigned;

  ClusterUpdate(
      UpstreamClusterManager manager,
      Map<String, RunningCluster> before,
      Map<String, RunningCluster> after,
      Map<String, RunningCluster> built,
      Map<String, ClusterConfig> reassigned) {
    this.manager = manager;
    this.before = before;
    this.after = after;
    this.built = built;
    this.reassigned = reassigned;
  }

  /** Completes once every new or changed cluster has warmed (see {@link RunningCluster#warmed}). */
  public CompletableFuture<Void> warmed() {
    return RunningCluster.allWarmed(built.values());
  }

  /**
   * The clusters as a connection accepted from now on resolves them: the running ones, and those
   * of this update for a name not running yet (before {@link #publish}) or not any more (a
   * connection that outlives a later update).
   */
  public ClusterManager view() {
    return manager.view(after);
  }

  public void publish() {
    manager.publish(this);
  }

  public void abandon() {
    built.values().forEach(RunningCluster::close);
  }

  /** Names of the clusters this update starts that were not running. */
  public Set<String> added() {
    return names(after, name -> !before.containsKey(name));
  }

  /** Names of the running clusters this update replaces with a changed config. */
  public Set<String> replaced() {
    return names(after, name -> before.containsKey(name) && built.containsKey(name));
  }

  /**
   * Names of the running clusters that only change endpoints: they keep running and take the new
   * set on publish (pools, health and breakers of what stays are kept).
   */
  public Set<String> reassigned() {
    return Collections.unmodifiableSet(new TreeSet<>(reassigned.keySet()));
  }

  /** Names of the running clusters this update drops. */
  public Set<String> removed() {
    return names(before, name -> !after.containsKey(name));
  }

  private static Set<String> names(Map<String, RunningCluster> from, Predicate<String> which) {
    Set<String> names = new TreeSet<>();
    from.keySet().stream().filter(which).forEach(names::add);
    return Collections.unmodifiableSet(names);
  }

  Map<String, RunningCluster> before() {
    return before;
  }

  Map<String, RunningCluster> after() {
    return after;
  }

  Map<String, ClusterConfig> reassignedConfigs() {
    return reassigned;
  }
}
