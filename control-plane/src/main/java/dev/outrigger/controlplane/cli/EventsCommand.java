package dev.outrigger.controlplane.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ctl events [-f]}: the control plane's CloudEvents, one JSON object per line. */
@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Prints the control plane's recent events (resources applied or rejected, proxies"
        + " connected or gone, config ACKed or NACKed, certificates issued), CloudEvents 1.0 JSON,"
        + " one per line; with -f, keeps printing new ones until interrupted.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed (with -f: the control plane ended the stream)",
        "1:invalid command line", "3:the control plane keeps no event log or failed the request",
        "4:the control plane is unreachable, or went away while following"})
final class EventsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Option(names = {"-f", "--follow"}, description = "Keep the stream open and print each new event.")
  private boolean follow;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    server.client().lines("/v1/events" + (follow ? "?follow=true" : ""), line -> {
      out.println(line);
      out.flush();
    });
    return ExitCodes.OK;
  }
}
