package dev.outrigger.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The app behind a TCP proxy: accepts one connection, and on it sends a generated payload while
 * reading everything the client sends (see {@link Duplex}).
 */
final class TcpUpstream implements AutoCloseable {
  private static final long SEED = 4;

  private final ServerSocket server;
  private final CompletableFuture<Duplex.Traffic> traffic = new CompletableFuture<>();

  private TcpUpstream(long size) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread serving = new Thread(() -> serveOne(size), "tcp-upstream");
    serving.setDaemon(true);
    serving.start();
  }

  /** Listens on a loopback port; the first connection gets {@code size} bytes. */
  static TcpUpstream start(long size) throws IOException {
    return new TcpUpstream(size);
  }

  int port() {
    return server.getLocalPort();
  }

  /** What this end sent and received, once both directions have ended. */
  Duplex.Traffic awaitTraffic(Duration timeout) throws Exception {
    return traffic.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void serveOne(long size) {
    try {
      traffic.complete(Duplex.exchange(server.accept(), new Payload(size, SEED)));
    } catch (Exception e) {
      traffic.completeExceptionally(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
