package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the harness's processes, each logging into the log directory, and stops them all on
 * close, the last started first: so one that fails half-way through a topology is stopped too.
 */
final class StartedProcesses implements AutoCloseable {
  private final Path logDir;
  private final List<ManagedProcess> processes = new ArrayList<>();

  StartedProcesses(Path logDir) {
    this.logDir = logDir;
  }

  ManagedProcess start(String name, List<String> command) throws IOException {
    ManagedProcess process = ManagedProcess.start(name, command, logDir);
    processes.add(process);
    return process;
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }
}
