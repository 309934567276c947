package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.file.ConfigDirectory;
import dev.outrigger.controlplane.model.file.ConfigReconciler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** {@code --config-dir}: the mesh model's YAML files in standalone mode, loaded at start and watched. */
final class ConfigDirOption {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  /** Long enough to take an editor's save (write, rename, chmod) as one change. */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(200);
  private static final Duration MAX_DELAY = Duration.ofSeconds(2);

  @Option(names = "--config-dir", paramLabel = "DIR",
      description = "Directory of mesh resources (YAML: MeshConfig, Service, HTTPRoute, GRPCRoute,"
          + " AuthorizationPolicy), read recursively and watched; see docs/mesh-model.md.")
  private Path dir;

  /** The directory loaded and watched; stop it with {@link Watched#close()}. */
  record Watched(ConfigDirectory directory, ScheduledExecutorService poller) implements AutoCloseable {
    @Override
    public void close() {
      directory.close();
      poller.shutdownNow();
    }
  }

  boolean given() {
    return dir != null;
  }

  Path dir() {
    return dir;
  }

  /**
   * Loads the directory and starts watching it. The first load must be clean: the control plane
   * does not start on a partial model, so any problem is an IllegalArgumentException listing all.
   */
  Watched loadAndWatch() throws IOException {
    ConfigDirectory directory = new ConfigDirectory(dir, QUIET_PERIOD, MAX_DELAY, System::nanoTime);
    ConfigReconciler.Outcome initial = directory.load();
    if (!initial.problems().isEmpty()) {
      throw new IllegalArgumentException("invalid mesh configuration in " + dir + ":\n"
          + initial.problems().stream().map(Problem::toString).collect(Collectors.joining("\n")));
    }
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "outrigger-config-dir");
      thread.setDaemon(true);
      return thread;
    });
    directory.watch(poller, POLL_INTERVAL);
    return new Watched(directory, poller);
  }
}
