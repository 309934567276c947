package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run's scratch directory (configs, certificates, upstream files), removed at the end, and
 * its log directory. The scratch directory is world-readable: nginx started as root serves files
 * from unprivileged workers.
 */
final class Workspace implements AutoCloseable {
  private final Path scratch;
  private final Path logs;

  Workspace(Path scratch, Path logs) {
    this.scratch = scratch;
    this.logs = logs;
  }

  static Workspace create(Path resultsDir) throws IOException {
    Path scratch = Files.createTempDirectory("outrigger-bench");
    Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new Workspace(scratch, Files.createDirectories(resultsDir.resolve("logs")));
  }

  Path dir(String name) throws IOException {
    Path dir = Files.createDirectories(scratch.resolve(name));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  Path logs() {
    return logs;
  }

  /** Removes the scratch directory; the logs stay with the results. */
  @Override
  public void close() throws IOException {
    try (Stream<Path> paths = Files.walk(scratch)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
