package dev.outrigger.e2e;

import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An app calling a mesh service through its sidecar's outbound listener at a steady rate: a few
 * workers, each on its own keep-alive HTTP/1.1 connection with {@code Host: <service>}, each
 * sending at {@code rate / workers} per second (paced, not back to back). Every response is kept
 * with the moment its request was sent and the value of one response header; anything but a 200
 * is a failure, and so is a connection closed under a request: nothing is sent again, so a sidecar
 * that closes an idle keep-alive connection (as a drain does) shows here. A connection is closed and
 * replaced only when the sidecar answers {@code Connection: close}.
 */
final class PacedLoad implements AutoCloseable {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  private static final int WORKERS = 4;

  /** One answered request: when it was sent (System.nanoTime) and the observed header's value. */
  record Answer(long sentNanos, String value) {}

  final Queue<String> failures = new ConcurrentLinkedQueue<>();
  final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final int port;
  private final String host;
  private final String header;
  private final long intervalNanos;

  private PacedLoad(int port, String host, String header, int ratePerSecond) {
    this.port = port;
    this.host = host;
    this.header = header.toLowerCase(Locale.ROOT);
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) * WORKERS / ratePerSecond;
  }

  /** Starts calling {@code http://<host>/} through 127.0.0.1:{@code port}, noting response header {@code header}. */
  static PacedLoad start(int port, String host, String header, int ratePerSecond) {
    PacedLoad load = new PacedLoad(port, host, header, ratePerSecond);
    for (int i = 0; i < WORKERS; i++) {
      Thread thread = new Thread(load::work, "paced-load-" + i);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  long ok() {
    return ok.get();
  }

  /** Waits until {@code count} more requests have succeeded. */
  void awaitMore(long count) {
    long target = ok.get() + count;
    await(count + " more requests through the mesh").atMost(STEP_TIMEOUT).until(() -> ok.get() >= target);
  }

  /** The answers by header value, for failure messages. */
  Map<String, Long> tally() {
    Map<String, Long> tally = new TreeMap<>();
    answers.forEach(answer -> tally.merge(answer.value(), 1L, Long::sum));
    return tally;
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(15));
    }
  }

  private void work() {
    long next = System.nanoTime();
    Connection connection = null;
    for (long i = 0; running.get(); i++) {
      next += intervalNanos;
      LockSupport.parkNanos(next - System.nanoTime());
      long sent = System.nanoTime();
      try {
        if (connection == null) {
          connection = new Connection(new Socket(InetAddress.getLoopbackAddress(), port));
        }
        Response response = connection.get(host);
        if (response.status() == 200) {
          ok.incrementAndGet();
          answers.add(new Answer(sent, response.headers().getOrDefault(header, "-")));
        } else {
          failures.add(Thread.currentThread().getName() + " #" + i + ": " + response.status() + " " + response.body());
        }
        if ("close".equalsIgnoreCase(response.headers().get("connection"))) {
          connection.close();
          connection = null;
        }
      } catch (IOException e) {
        failures.add(Thread.currentThread().getName() + " #" + i + ": " + e);
        if (connection != null) {
          connection.close();
          connection = null;
        }
      }
    }
    if (connection != null) {
      connection.close();
    }
  }

  private record Response(int status, Map<String, String> headers, String body) {}

  /** One keep-alive HTTP/1.1 connection; bodies by content-length or chunked. */
  private static final class Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(10));
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    Response get(String host) throws IOException {
      out.write(("GET / HTTP/1.1\r\nhost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String statusLine = line();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.1 status line: " + statusLine);
      }
      Map<String, String> headers = new TreeMap<>();
      for (String line = line(); !line.isEmpty(); line = line()) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
      }
      return new Response(Integer.parseInt(parts[1]), headers, body(headers));
    }

    private String body(Map<String, String> headers) throws IOException {
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0;
            size = Integer.parseInt(line().split(";")[0].strip(), 16)) {
          body.write(in.readNBytes(size));
          line();
        }
        line();
        return body.toString(StandardCharsets.UTF_8);
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed by the sidecar");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.US_ASCII);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a connection that is done with: nothing to do if it is already broken.
      }
    }
  }
}
