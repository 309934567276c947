package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.ca.RootRotation;
import dev.outrigger.controlplane.state.StateDir;
import dev.outrigger.controlplane.token.JoinTokens;
import io.spiffe.spiffeid.SpiffeId;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outrigger ctl token create}: a join token granting one SPIFFE ID. The token alone goes to
 * standard output (so {@code TOKEN=$(outrigger ctl token create ...)} works), what it grants to
 * standard error. It is never shown again: only its hash is stored.
 */
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Creates a join token for spiffe://<trust domain>/ns/<namespace>/sa/<service account>"
        + " and prints it (the only time it is shown).")
final class TokenCreateCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec private CommandSpec spec;
  @Mixin private StateDirOption stateDir;

  @Option(names = "--namespace", required = true, paramLabel = "NS", description = "Namespace of the workload.")
  private String namespace;

  @Option(names = "--service-account", required = true, paramLabel = "SA",
      description = "Service account of the workload.")
  private String serviceAccount;

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
      description = "How long the token can be used to sign in (default: ${DEFAULT-VALUE}).")
  private Duration ttl;

  TokenCreateCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    StateDir dir = stateDir.open();
    SpiffeId id = new RootRotation(dir, clock).trustDomain()
        .newSpiffeId("ns", namespace, "sa", serviceAccount);
    JoinTokens.Created created = new JoinTokens(dir, clock).create(id, ttl);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.println(created.token());
    out.flush();
    err.println("token " + created.grant().tokenId() + " grants " + id + " until "
        + created.grant().expiresAt() + "; it is shown only now");
    err.flush();
    return ExitCodes.OK;
  }
}
