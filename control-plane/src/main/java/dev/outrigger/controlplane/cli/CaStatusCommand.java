package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.ca.RootRotation;
import dev.outrigger.controlplane.state.StateDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code outrigger ctl ca status}: the roots of the bundle, which one issues, and when each may go. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Shows the CA's roots: phase (PREPARED, ISSUING, PREVIOUS), SHA-256 fingerprint,"
        + " not-after, and the latest not-after of the leaves each signed.")
final class CaStatusCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec private CommandSpec spec;
  @Mixin private StateDirOption stateDir;

  CaStatusCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    StateDir dir = stateDir.open();
    RootRotation rotation = new RootRotation(dir, clock);
    List<RootRotation.RootStatus> roots = rotation.status();
    PrintWriter out = spec.commandLine().getOut();
    out.println("trust domain " + rotation.trustDomain().getName() + ", " + roots.size()
        + " root(s) in " + dir.resolve("bundle.pem"));
    roots.forEach(root -> RootPrinter.print(out, root));
    out.flush();
    return ExitCodes.OK;
  }
}
