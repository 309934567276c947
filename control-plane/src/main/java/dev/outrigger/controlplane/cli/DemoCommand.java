package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.demo.MeshDemo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code outrigger demo}: the whole mesh on this machine ({@link MeshDemo}) until Ctrl-C. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {
      "Runs the whole mesh on 127.0.0.1: the control plane on its default ports, three sample"
          + " services each with its sidecar (mTLS between them), traffic between them; prints where"
          + " to look and how to change a route live. Ctrl-C stops everything.",
      "`outrigger demo --single` runs the older demo instead: one proxy from a static bootstrap."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped by Ctrl-C or SIGTERM", "3:could not start (a port in use, a part failed)"})
final class DemoCommand implements Callable<Integer> {
  private final StopSignal stop;

  @Spec private CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the demo keeps its mesh config, state and logs (default: a new temporary directory).")
  private Path dir;

  @Option(names = "--port-offset", paramLabel = "N", defaultValue = "0",
      description = "Added to every port, for when the defaults (15000-15206, 18080-18082) are taken"
          + " (default: ${DEFAULT-VALUE}).")
  private int portOffset;

  @Option(names = "--proxy-classpath", paramLabel = "PATH", required = true,
      defaultValue = "${env:OUTRIGGER_PROXY_CLASSPATH}",
      description = "The proxy's class path for the sidecars (bin/outrigger sets $OUTRIGGER_PROXY_CLASSPATH).")
  private String proxyClassPath;

  DemoCommand(StopSignal stop) {
    this.stop = stop;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path home = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("outrigger-demo-");
    CountDownLatch stopRequested = new CountDownLatch(1);
    stop.onStop(stopRequested::countDown);
    out.println("outrigger demo: starting the mesh in " + home + " ...");
    out.flush();
    MeshDemo demo;
    try {
      demo = MeshDemo.start(home, portOffset, proxyClassPath, out);
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("outrigger demo: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    try (demo) {
      out.println("outrigger demo: ready");
      out.print(demo.guide());
      out.flush();
      stopRequested.await();
      out.println("outrigger demo: stopping");
      out.flush();
    }
    out.println("outrigger demo: stopped");
    out.flush();
    return ExitCodes.OK;
  }
}
