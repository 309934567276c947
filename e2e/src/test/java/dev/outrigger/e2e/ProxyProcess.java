package dev.outrigger.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One proxy JVM, started the way bin/outrigger starts it ({@link ModuleCommand}: {@code
 * dev.outrigger.proxy.cli.Main proxy ...}). Its stdout and stderr go to a log file.
 */
final class ProxyProcess {
  private static final String MAIN_CLASS = "dev.outrigger.proxy.cli.Main";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient ADMIN_CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Process process;
  private final Path log;
  private volatile boolean terminated;

  private ProxyProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code outrigger proxy} with {@code arguments}, its output going to {@code log}. */
  static ProxyProcess launch(List<String> arguments, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command(arguments))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new ProxyProcess(process, log);
  }

  /** Waits until the admin server at {@code admin} answers {@code GET /ready} with 200. */
  void awaitReady(InetSocketAddress admin) {
    URI ready = URI.create("http://127.0.0.1:" + admin.getPort() + "/ready");
    await("the proxy to answer GET " + ready + " with 200")
        .atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .failFast("the proxy exited before it was ready", () -> !process.isAlive())
        .until(() -> status(ready) == 200);
  }

  /** Sends SIGTERM, as an orchestrator stopping the pod would. */
  void terminate() {
    terminated = true;
    process.destroy();
  }

  /** Whether the test asked the process to stop; one that stopped unasked has failed. */
  boolean terminated() {
    return terminated;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or empty if the process is still running after {@code timeout}. */
  OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  int exitCode() {
    return process.exitValue();
  }

  /** Stops the process: SIGTERM, then SIGKILL if it has not exited after a while. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  Path log() {
    return log;
  }

  /** Everything the process printed so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int status(URI uri) throws InterruptedException {
    try {
      return ADMIN_CLIENT
          .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), BodyHandlers.discarding())
          .statusCode();
    } catch (IOException notYetListening) {
      return -1;
    }
  }

  private static List<String> command(List<String> arguments) throws IOException {
    List<String> proxyArguments = new ArrayList<>(List.of("proxy"));
    proxyArguments.addAll(arguments);
    return ModuleCommand.of("proxy", MAIN_CLASS, proxyArguments);
  }
}
