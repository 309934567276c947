package dev.outrigger.proxy.cli;

import dev.outrigger.proxy.demo.DemoCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code outrigger <subcommand>}: the one entry point of the launcher. A subcommand is a picocli
 * command added in {@link #commandLine}, one line each.
 */
@Command(
    name = "outrigger",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "A lightweight service mesh: Netty sidecar proxy configured with Envoy's v3 API.",
    synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {
  @Spec private CommandSpec spec;

  private Main() {}

  /** Without a subcommand there is nothing to do: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, ShutdownSignal.PROCESS));
  }

  /** Runs one command line to its exit code; never exits the JVM, so tests call it in-process. */
  static int run(String[] args, PrintWriter out, PrintWriter err, ShutdownSignal shutdown) {
    return commandLine(shutdown).setOut(out).setErr(err).execute(args);
  }

  static CommandLine commandLine(ShutdownSignal shutdown) {
    return new CommandLine(new Main())
        .addSubcommand(new ProxyCommand(shutdown))
        .addSubcommand(new DemoCommand(shutdown));
  }
}
