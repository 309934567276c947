package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.ca.RootRotation;
import dev.outrigger.controlplane.ca.RotationRefusedException;
import dev.outrigger.controlplane.events.CloudEventJson;
import dev.outrigger.controlplane.events.Emitter;
import dev.outrigger.controlplane.events.EventPublisher;
import dev.outrigger.controlplane.events.JsonLinesEventFile;
import dev.outrigger.controlplane.events.RootRotationEvents;
import dev.outrigger.controlplane.state.StateDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The three steps of {@code outrigger ctl ca rotate}; refusals exit with 2. */
final class RotateCommands {
  private RotateCommands() {}

  /**
   * Each step changes the state directory from this process, not the server's: its event goes to
   * the running control plane (which writes it to its file, its sink and its feed for {@code ctl
   * events -f}); when none answers at {@code --server}, it is appended here, to the file the
   * control plane also writes, so no rotation goes unrecorded.
   */
  private static RootRotationEvents events(EventsFileOption file, ServerOption server, StateDir dir,
      RootRotation rotation, Clock clock) throws IOException {
    EventPublisher append = new JsonLinesEventFile(file.resolve(dir)).appendingNow();
    AdminClient client = server.client();
    EventPublisher publish = event -> {
      try {
        client.publish(CloudEventJson.write(event));
      } catch (AdminClient.Failure e) {
        append.publish(event);
      }
    };
    return new RootRotationEvents(new Emitter(Emitter.CTL, clock, publish), rotation.trustDomain().getName());
  }

  @Command(name = "prepare", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Adds a new root to the bundle (made here, or the operator's --root-cert);"
          + " the current root keeps issuing. Next: wait until every proxy has the new bundle"
          + " (one renewal, at most half the default TTL), then 'activate'.")
  static final class Prepare implements Callable<Integer> {
    private final Clock clock;
    @Spec private CommandSpec spec;
    @Mixin private StateDirOption stateDir;
    @Mixin private AuthorityFiles operator;
    @Mixin private EventsFileOption eventsFile;
    @Mixin private ServerOption server;

    Prepare(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() throws IOException, RotationRefusedException {
      StateDir dir = stateDir.open();
      RootRotation rotation = new RootRotation(dir, clock);
      RootRotation.RootStatus prepared = operator.given()
          ? rotation.prepareOperator(operator.load(clock.instant()))
          : rotation.prepareSelfSigned();
      events(eventsFile, server, dir, rotation, clock).prepared(prepared);
      PrintWriter out = spec.commandLine().getOut();
      out.println("prepared; the bundle now carries it beside the issuing root:");
      RootPrinter.print(out, prepared);
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "activate", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "New leaves are signed by the prepared root; the old one stays in the bundle."
          + " Next: 'retire' once the old root's latest leaf has expired ('ca status': issued until).")
  static final class Activate implements Callable<Integer> {
    private final Clock clock;
    @Spec private CommandSpec spec;
    @Mixin private StateDirOption stateDir;
    @Mixin private EventsFileOption eventsFile;
    @Mixin private ServerOption server;

    Activate(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() throws IOException, RotationRefusedException {
      StateDir dir = stateDir.open();
      RootRotation rotation = new RootRotation(dir, clock);
      RootRotation.RootStatus issuing = rotation.activate();
      events(eventsFile, server, dir, rotation, clock).activated(issuing);
      PrintWriter out = spec.commandLine().getOut();
      out.println("activated; new leaves are signed by:");
      RootPrinter.print(out, issuing);
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "retire", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Removes the previous root from the bundle and deletes its key. Refused while"
          + " a leaf it signed may still be valid, unless --force.")
  static final class Retire implements Callable<Integer> {
    private final Clock clock;
    @Spec private CommandSpec spec;
    @Mixin private StateDirOption stateDir;
    @Mixin private EventsFileOption eventsFile;
    @Mixin private ServerOption server;

    @Option(names = "--force",
        description = "Retire even though leaves signed by the old root are still valid: their"
            + " holders fail TLS with peers until they renew.")
    private boolean force;

    Retire(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() throws IOException, RotationRefusedException {
      StateDir dir = stateDir.open();
      RootRotation rotation = new RootRotation(dir, clock);
      List<RootRotation.RootStatus> retired = rotation.retire(force);
      events(eventsFile, server, dir, rotation, clock).retired(retired);
      PrintWriter out = spec.commandLine().getOut();
      out.println("retired " + retired.size() + " root(s); the bundle no longer carries:");
      retired.forEach(root -> RootPrinter.print(out, root));
      out.flush();
      return ExitCodes.OK;
    }
  }
}
