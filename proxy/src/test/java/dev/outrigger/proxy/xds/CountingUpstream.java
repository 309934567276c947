package dev.outrigger.proxy.xds;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keep-alive HTTP/1.1 upstream (GET only, a thread per connection) that counts the connections it
 * accepted and has open, records each request's path, and holds every {@code /slow} request until
 * {@link #release()}. Answers "{@code name path}".
 */
final class CountingUpstream implements AutoCloseable {
  final String name;
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger open = new AtomicInteger();
  final List<String> paths = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private final ServerSocket server;

  CountingUpstream(String name) throws IOException {
    this.name = name;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "upstream-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Lets every held {@code /slow} request, and those to come, answer. */
  void release() {
    released.countDown();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        open.incrementAndGet();
        Thread connection = new Thread(() -> serve(socket), "upstream-" + name + "-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      String requestLine;
      while ((requestLine = in.readLine()) != null) {
        String header;
        do {
          header = in.readLine();
        } while (header != null && !header.isEmpty());
        String path = requestLine.split(" ")[1];
        paths.add(path);
        if (path.startsWith("/slow") && !released.await(30, TimeUnit.SECONDS)) {
          return;
        }
        byte[] body = (name + " " + path).getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The proxy closed the connection, or the test ended.
    } finally {
      open.decrementAndGet();
    }
  }

  @Override
  public void close() throws IOException {
    release();
    server.close();
  }
}
