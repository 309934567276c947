package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.state.StateDir;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir}, shared by the server and every ctl command that acts on it directly. */
final class StateDirOption {
  @Option(names = "--state-dir", paramLabel = "DIR",
      defaultValue = "${env:OUTRIGGER_STATE_DIR:-outrigger-state}",
      description = "The control plane's state: CA keys and roots, join tokens, audit log"
          + " (default: $OUTRIGGER_STATE_DIR, else ./outrigger-state).")
  Path path;

  StateDir open() throws IOException {
    return StateDir.open(path);
  }
}
