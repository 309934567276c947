package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.file.ConfigReconciler.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone source of the mesh model: a directory of YAML files, polled. Polling rather than
 * a WatchService because it sees every way editors and tools replace files (rename over, symlink
 * swaps of mounted ConfigMaps) and behaves the same on every file system; a config directory is
 * small, so reading it each interval is cheap. A change is reconciled once the directory has been
 * quiet for {@code quietPeriod}, so an editor's burst of writes is one change, or at the latest
 * {@code maxDelay} after the first unreconciled change, so a directory that never rests is still
 * followed.
 */
public final class ConfigDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigDirectory.class);

  private final Path root;
  private final LongSupplier nanoTime;
  private final long quietNanos;
  private final long maxDelayNanos;
  private final ConfigReconciler reconciler = new ConfigReconciler();
  private final List<MeshModelListener> modelListeners = new CopyOnWriteArrayList<>();
  private final List<ResourceEventListener> eventListeners = new CopyOnWriteArrayList<>();
  private volatile MeshModel model = MeshModel.empty();
  private Map<String, String> seen = Map.of();
  private Map<String, String> reconciled = Map.of();
  private long seenAt;
  /** When the directory first differed from what was last reconciled. */
  private long pendingSince;
  private ScheduledFuture<?> polling;

  /** @param nanoTime the clock of the quiet period ({@code System::nanoTime} outside tests) */
  public ConfigDirectory(Path root, Duration quietPeriod, Duration maxDelay, LongSupplier nanoTime) {
    this.root = root;
    this.quietNanos = quietPeriod.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Calls {@code listener} with each model that replaces the serving one, on the polling thread.
   * A listener added after {@link #load()} registers first and then reads {@link #model()}, so that
   * it misses nothing (it may see one model twice).
   */
  public void onModel(MeshModelListener listener) {
    modelListeners.add(listener);
  }

  public void onEvent(ResourceEventListener listener) {
    eventListeners.add(listener);
  }

  /** The model serving now: the last one reconciled from the directory. */
  public MeshModel model() {
    return model;
  }

  /** The directory's path, as files in problems and {@link #accepted()} are named from it. */
  public Path root() {
    return root;
  }

  /** Every accepted file by name, with its content and resources: where each model resource comes from. */
  public synchronized Map<String, ConfigReconciler.Accepted> accepted() {
    return reconciler.accepted();
  }

  /**
   * Reads and reconciles the directory now, without waiting for it to be quiet: at start (the
   * caller refuses to run if problems remain) and right after the admin API wrote to it.
   */
  public synchronized Outcome load() throws IOException {
    Map<String, String> files = ConfigFiles.read(root);
    seen = files;
    seenAt = nanoTime.getAsLong();
    return reconcile(files);
  }

  /** Polls every {@code interval} on {@code scheduler} until {@link #close()}. */
  public synchronized void watch(ScheduledExecutorService scheduler, Duration interval) {
    polling = scheduler.scheduleWithFixedDelay(this::pollSafely, interval.toNanos(),
        interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** One poll: notes a change, or reconciles one that has been quiet (or pending) long enough. */
  synchronized void poll() throws IOException {
    Map<String, String> files = ConfigFiles.read(root);
    long now = nanoTime.getAsLong();
    if (seen.equals(reconciled) && !files.equals(reconciled)) {
      pendingSince = now;
    }
    boolean quiet = files.equals(seen) && now - seenAt >= quietNanos;
    if (!files.equals(seen)) {
      seen = files;
      seenAt = now;
    }
    if (!files.equals(reconciled) && (quiet || now - pendingSince >= maxDelayNanos)) {
      reconcile(files);
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (IOException e) {
      log.warn("cannot read {} (will retry): {}", root, e.getMessage());
    } catch (RuntimeException e) {
      // An exception would end the scheduled polling for good; keep watching.
      log.error("reconciling " + root + " failed", e);
    }
  }

  private Outcome reconcile(Map<String, String> files) {
    reconciled = files;
    Outcome outcome = reconciler.reconcile(files);
    outcome.problems().forEach(problem -> log.warn("rejected: {}", problem));
    model = outcome.model();
    for (ResourceEvent event : outcome.events()) {
      if (event.type() != ResourceEvent.Type.REJECTED) {
        log.info("{}", event);
      }
      eventListeners.forEach(listener -> listener.onEvent(event));
    }
    if (outcome.modelChanged()) {
      modelListeners.forEach(listener -> listener.modelChanged(outcome.model()));
    }
    return outcome;
  }

  @Override
  public synchronized void close() {
    if (polling != null) {
      polling.cancel(false);
    }
  }
}
