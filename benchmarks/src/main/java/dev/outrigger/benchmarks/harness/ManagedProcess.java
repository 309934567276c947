package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A process the harness started, its output in a log file; stopped with SIGTERM, then SIGKILL. */
final class ManagedProcess implements AutoCloseable {
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  final String name;
  private final Process process;
  private final Path log;
  /** {@link System#nanoTime()} just before the process was spawned. */
  final long spawnedNanos;

  private ManagedProcess(String name, Process process, Path log, long spawnedNanos) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.spawnedNanos = spawnedNanos;
  }

  static ManagedProcess start(String name, List<String> command, Path logDir) throws IOException {
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    long spawned = System.nanoTime();
    return new ManagedProcess(name, builder.start(), log, spawned);
  }

  long pid() {
    return process.pid();
  }

  /** Fails with the log's path when the process has already exited. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with status " + process.exitValue()
          + "; see " + log);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
