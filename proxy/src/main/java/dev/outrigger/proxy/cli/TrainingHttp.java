package dev.outrigger.proxy.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Just enough HTTP/1.1 over plain sockets for {@link AotTraining}: a keep-alive client connection,
 * and an app that answers every request with 1 KiB. Bodies are framed by {@code Content-Length}
 * or chunked, which is all the proxy and the app send.
 */
final class TrainingHttp {
  private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\ncontent-length: 1024\r\n\r\n"
      + "x".repeat(1024)).getBytes(StandardCharsets.US_ASCII);

  private TrainingHttp() {}

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One request on a connection of its own; the response's status. */
  static int status(int port, String method, String path, byte[] body) throws IOException {
    try (Connection connection = Connection.open(port)) {
      return connection.exchange(method, path, body);
    }
  }

  /** A client connection to 127.0.0.1, reused for one request after another. */
  static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    static Connection open(int port) throws IOException {
      return new Connection(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Sends a request and reads the whole response; its status. */
    int exchange(String method, String path, byte[] body) throws IOException {
      out.write((method + " " + path + " HTTP/1.1\r\nhost: training\r\ncontent-length: "
          + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String statusLine = readMessage(in);
      if (statusLine == null) {
        throw new EOFException("connection closed before the response to " + method + " " + path);
      }
      return Integer.parseInt(statusLine.split(" ")[1]);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** The app behind the proxy: a thread per connection, each request answered with 1 KiB. */
  static final class App implements AutoCloseable {
    private final ServerSocket server;

    private App(ServerSocket server) {
      this.server = server;
    }

    static App start() throws IOException {
      App app = new App(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      daemon("training-app", app::accept);
      return app;
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      try {
        while (true) {
          Socket socket = server.accept();
          daemon("training-app-connection", () -> serve(socket));
        }
      } catch (IOException closed) {
        // close() ends the app
      }
    }

    private static void serve(Socket socket) {
      try (socket) {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        while (readMessage(in) != null) {
          socket.getOutputStream().write(ANSWER);
        }
      } catch (IOException gone) {
        // the proxy closed the connection
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads one message, body included; its start line, or null at the end of the stream. */
  private static String readMessage(InputStream in) throws IOException {
    String startLine = readLine(in);
    if (startLine == null) {
      return null;
    }
    long length = 0;
    boolean chunked = false;
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      String header = line.toLowerCase(Locale.ROOT);
      if (header.startsWith("content-length:")) {
        length = Long.parseLong(header.substring(header.indexOf(':') + 1).trim());
      } else if (header.startsWith("transfer-encoding:") && header.contains("chunked")) {
        chunked = true;
      }
    }
    if (!chunked) {
      skip(in, length);
      return startLine;
    }
    for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
      skip(in, size + 2); // the chunk and its CRLF
    }
    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
      // trailers end with an empty line
    }
    return startLine;
  }

  private static long chunkSize(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) {
      throw new EOFException("stream ended inside a chunked body");
    }
    int extension = line.indexOf(';');
    return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    in.skipNBytes(bytes); // EOFException when the stream ends inside the body
  }

  /** A line without its CRLF, or null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
