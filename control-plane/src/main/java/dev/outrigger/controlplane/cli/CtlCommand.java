package dev.outrigger.controlplane.cli;

import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code outrigger ctl}: operations on the control plane. apply, delete, get, describe and events
 * speak the admin API (JSON over HTTP on port 15014, {@code --server}); token and ca act on the
 * state directory directly, under its lock, and the running control plane applies them on its
 * next request.
 */
@Command(
    name = "ctl",
    mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Operates the control plane: apply, delete, get, describe and events through its"
        + " admin API (--server HOST:PORT, else $OUTRIGGER_CONTROL_PLANE, else 127.0.0.1:15014);"
        + " validate offline; token and ca directly on its --state-dir."},
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:invalid command line or value; resources rejected (each problem on standard error)",
      "2:refused (a rotation step out of order or too early; a change to a read-only control plane"
          + " or from a non-loopback caller)",
      "3:the state directory is missing or unusable; the control plane failed the request",
      "4:the control plane is unreachable"
    })
final class CtlCommand extends CommandGroup {
  static CommandLine commandLine(Clock clock) {
    return new CommandLine(new CtlCommand())
        .addSubcommand(new ChangeCommands.Apply(() -> System.in))
        .addSubcommand(new ChangeCommands.Delete(() -> System.in))
        .addSubcommand(new GetCommand())
        .addSubcommand(new DescribeCommand())
        .addSubcommand(new EventsCommand())
        .addSubcommand(new ValidateCommand())
        .addSubcommand(new CommandLine(new Token()).addSubcommand(new TokenCreateCommand(clock)))
        .addSubcommand(new CommandLine(new Ca())
            .addSubcommand(new CaStatusCommand(clock))
            .addSubcommand(new CommandLine(new Rotate())
                .addSubcommand(new RotateCommands.Prepare(clock))
                .addSubcommand(new RotateCommands.Activate(clock))
                .addSubcommand(new RotateCommands.Retire(clock))));
  }

  @Command(name = "token", mixinStandardHelpOptions = true, versionProvider = Version.class,
      synopsisSubcommandLabel = "COMMAND",
      description = "Join tokens: the credentials proxies sign in with in standalone mode.")
  static final class Token extends CommandGroup {}

  @Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = Version.class,
      synopsisSubcommandLabel = "COMMAND",
      description = "The certificate authority: its roots and their rotation.")
  static final class Ca extends CommandGroup {}

  @Command(name = "rotate", mixinStandardHelpOptions = true, versionProvider = Version.class,
      synopsisSubcommandLabel = "STEP",
      description = "Root rotation, one step at a time, in this order: prepare, activate, retire"
          + " (docs/identity.md).")
  static final class Rotate extends CommandGroup {}
}
