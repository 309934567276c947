package dev.outrigger.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control plane as its own JVM, started the way bin/outrigger starts it ({@link
 * ModuleCommand}: {@code dev.outrigger.controlplane.cli.Main control-plane ...}), its CA on a port
 * it picks; and {@code outrigger ctl} commands run to their end against its state directory.
 */
final class ControlPlaneProcess implements AutoCloseable {
  private static final String MAIN_CLASS = "dev.outrigger.controlplane.cli.Main";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CTL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  /** The start line: {@code outrigger control-plane: CA for trust domain T on 127.0.0.1:PORT (TLS)}. */
  private static final Pattern LISTENING = Pattern.compile("CA for trust domain \\S+ on 127\\.0\\.0\\.1:(\\d+) ");

  private final Process process;
  private final Path stateDir;
  private final Path log;
  private final int port;

  private ControlPlaneProcess(Process process, Path stateDir, Path log, int port) {
    this.process = process;
    this.stateDir = stateDir;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code outrigger control-plane --state-dir <stateDir> --ca-port 0 --admin-port 0
   * <options>} (without either when {@code options} name that port) and waits until it says where
   * its CA listens.
   */
  static ControlPlaneProcess start(Path stateDir, Path log, String... options) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("control-plane", "--state-dir", stateDir.toString()));
    if (!List.of(options).contains("--ca-port")) {
      arguments.addAll(List.of("--ca-port", "0"));
    }
    if (!List.of(options).contains("--admin-port")) {
      arguments.addAll(List.of("--admin-port", "0"));
    }
    arguments.addAll(List.of(options));
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(ModuleCommand.of("control-plane", MAIN_CLASS, arguments))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    int[] port = new int[1];
    await("the control plane to listen (output in " + log + ")")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .failFast("the control plane exited before it listened", () -> !process.isAlive())
        .until(() -> {
          Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
          if (listening.find()) {
            port[0] = Integer.parseInt(listening.group(1));
          }
          return port[0] > 0;
        });
    return new ControlPlaneProcess(process, stateDir, log, port[0]);
  }

  /** The CA's address for {@code outrigger proxy --ca-address}. */
  String caAddress() {
    return "127.0.0.1:" + port;
  }

  /** The trust bundle the control plane writes, for {@code outrigger proxy --ca-bundle}. */
  Path bundle() {
    return stateDir.resolve("bundle.pem");
  }

  /** How one {@code outrigger ctl} command ended. */
  record Ctl(int code, String out, String err) {
    /** The output when the command succeeded. */
    String ok() {
      if (code != 0) {
        throw new AssertionError("ctl exited with " + code + ":\n" + out + err);
      }
      return out;
    }
  }

  /** Runs {@code outrigger ctl <arguments> --state-dir <state dir>} to its end. */
  Ctl ctl(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ctl"));
    command.addAll(List.of(arguments));
    command.addAll(List.of("--state-dir", stateDir.toString()));
    Path out = Files.createTempFile(log.getParent(), "ctl", ".out");
    Path err = Files.createTempFile(log.getParent(), "ctl", ".err");
    Process ctl = new ProcessBuilder(ModuleCommand.of("control-plane", MAIN_CLASS, command))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!ctl.waitFor(CTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      ctl.destroyForcibly().waitFor();
      throw new AssertionError("outrigger " + String.join(" ", command) + " still ran after " + CTL_TIMEOUT);
    }
    return new Ctl(ctl.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Everything the control plane printed so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: gone at once, no goodbye to its streams. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, then SIGKILL if it has not exited after a while. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
