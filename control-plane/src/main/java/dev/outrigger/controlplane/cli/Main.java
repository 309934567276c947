package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.ca.RotationRefusedException;
import io.spiffe.exception.InvalidSpiffeIdException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The control-plane jar's entry point: {@code outrigger control-plane} (the server) and
 * {@code outrigger ctl} (operations on it). Exit codes: see {@link ExitCodes}.
 */
@Command(
    name = "outrigger",
    mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Outrigger's control plane and its admin client.",
    synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {
  @Spec private CommandSpec spec;

  private Main() {}

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, Clock.systemUTC(), StopSignal.PROCESS));
  }

  /** Runs one command line to its exit code; never exits the JVM, so tests call it in-process. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Clock clock, StopSignal stop) {
    return new CommandLine(new Main())
        .addSubcommand(new ControlPlaneCommand(clock, stop))
        .addSubcommand(CtlCommand.commandLine(clock))
        .addSubcommand(new DemoCommand(stop))
        .setOut(out)
        .setErr(err)
        .setParameterExceptionHandler(Main::usageError)
        .setExecutionExceptionHandler(Main::handle)
        .execute(args);
  }

  /** Like picocli's default (message, suggestions, usage), but exit code 1 as ExitCodes says. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    command.usage(err);
    err.flush();
    return ExitCodes.INVALID;
  }

  /** Expected failures become one clear line and an exit code; anything else is a bug: trace it. */
  private static int handle(Exception e, CommandLine command, CommandLine.ParseResult parsed)
      throws Exception {
    PrintWriter err = command.getErr();
    int code;
    if (e instanceof IllegalArgumentException || e instanceof InvalidSpiffeIdException) {
      err.println("outrigger: " + e.getMessage());
      code = ExitCodes.INVALID;
    } else if (e instanceof AdminClient.Failure) {
      err.println("outrigger: " + e.getMessage());
      code = ((AdminClient.Failure) e).exitCode();
    } else if (e instanceof RotationRefusedException) {
      err.println("outrigger: refused: " + e.getMessage());
      code = ExitCodes.REFUSED;
    } else if (e instanceof IOException) {
      err.println("outrigger: " + e.getMessage());
      code = ExitCodes.FAILED;
    } else {
      throw e;
    }
    err.flush();
    return code;
  }
}
