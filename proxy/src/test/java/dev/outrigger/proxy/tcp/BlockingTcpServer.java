package dev.outrigger.proxy.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-socket upstream for tests, one thread per connection running the test's script. Plain
 * blocking I/O on purpose: it is independent of the Netty code under test.
 */
final class BlockingTcpServer implements AutoCloseable {
  /** What the upstream does with one accepted connection. */
  @FunctionalInterface
  interface Script {
    void run(Socket socket) throws Exception;
  }

  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();

  /** @param receiveBuffer the accepted sockets' SO_RCVBUF, or 0 for the default */
  BlockingTcpServer(int receiveBuffer, Script script) throws IOException {
    server = new ServerSocket();
    if (receiveBuffer > 0) {
      server.setReceiveBufferSize(receiveBuffer);
    }
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(() -> acceptLoop(script), "upstream-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  BlockingTcpServer(Script script) throws IOException {
    this(0, script);
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return accepted.size();
  }

  private void acceptLoop(Script script) {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.add(socket);
        Thread worker =
            new Thread(
                () -> {
                  try (socket) {
                    script.run(socket);
                  } catch (Exception e) {
                    failures.add(e);
                  }
                },
                "upstream-conn");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}
