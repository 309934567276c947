package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.state.StateDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --events-file}, shared by the server and the ctl commands that change the state
 * directory themselves (root rotation), so that both append to the same file.
 */
final class EventsFileOption {
  @Option(names = "--events-file", paramLabel = "FILE",
      description = "Append a CloudEvent (JSON, one per line) for every audit-worthy change to FILE"
          + " (default: <state-dir>/events.jsonl). See docs/control-plane.md.")
  private Path file;

  Path resolve(StateDir dir) {
    return file != null ? file : dir.resolve("events.jsonl");
  }
}
