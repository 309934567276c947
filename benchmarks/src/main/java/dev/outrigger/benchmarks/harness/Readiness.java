package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits for a started process to serve, polling every few milliseconds, and times it. */
final class Readiness {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 5;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(1)).build();

  private Readiness() {}

  /** Start-up time: from spawn until {@code GET /ready} on the admin port answers 200. */
  static Duration untilReady(ManagedProcess process, int adminPort) throws InterruptedException {
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready"))
        .timeout(Duration.ofSeconds(1)).build();
    return poll(process, () -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding())
        .statusCode() == 200);
  }

  /** Start-up time: from spawn until {@code port} accepts a TCP connection. */
  static Duration untilListening(ManagedProcess process, int port) throws InterruptedException {
    return poll(process, () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        return true;
      }
    });
  }

  private interface Check {
    boolean passes() throws IOException, InterruptedException;
  }

  private static Duration poll(ManagedProcess process, Check check) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      process.checkAlive();
      try {
        if (check.passes()) {
          return Duration.ofNanos(System.nanoTime() - process.spawnedNanos);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException(process.name + " not ready after " + TIMEOUT);
  }
}
