package dev.outrigger.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The app behind a TCP proxy: accepts one connection and plays its {@link Duplex.End} on it. */
final class TcpUpstream implements AutoCloseable {
  private final ServerSocket server;
  private final CompletableFuture<Duplex.Traffic> traffic = new CompletableFuture<>();

  private TcpUpstream(Duplex.End end) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread serving = new Thread(() -> serveOne(end), "tcp-upstream");
    serving.setDaemon(true);
    serving.start();
  }

  /** Listens on a loopback port; {@code end} runs on the first connection. */
  static TcpUpstream start(Duplex.End end) throws IOException {
    return new TcpUpstream(end);
  }

  int port() {
    return server.getLocalPort();
  }

  /** What this end sent and received, once both directions have ended. */
  Duplex.Traffic awaitTraffic(Duration timeout) throws Exception {
    return traffic.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void serveOne(Duplex.End end) {
    try {
      traffic.complete(end.run(server.accept()));
    } catch (Exception e) {
      traffic.completeExceptionally(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
