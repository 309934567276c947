package dev.outrigger.controlplane.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The frontend's calls to catalog, through the frontend's sidecar (its outbound listener, {@code
 * Host: catalog}): a request every {@link #INTERVAL}, and every {@link #REPORT} a line saying which
 * app answered how often and how many failed, so that a route change shows as it happens.
 */
final class Traffic implements AutoCloseable {
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration REPORT = Duration.ofSeconds(5);
  private static final int TIMEOUT_MILLIS = 5_000;

  private final int port;
  private final String host;
  private final PrintWriter out;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "demo-traffic");
    thread.setDaemon(true);
    return thread;
  });
  /** Answers by app since the last report, and failures ("failed" key); touched by the one thread only. */
  private final Map<String, Integer> counts = new TreeMap<>();

  private Traffic(int port, String host, PrintWriter out) {
    this.port = port;
    this.host = host;
    this.out = out;
  }

  /** Starts calling {@code host} through the sidecar's outbound listener on 127.0.0.1:{@code port}. */
  static Traffic start(int port, String host, PrintWriter out) {
    Traffic traffic = new Traffic(port, host, out);
    traffic.executor.scheduleAtFixedRate(traffic::call, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    traffic.executor.scheduleAtFixedRate(traffic::report, REPORT.toMillis(), REPORT.toMillis(), TimeUnit.MILLISECONDS);
    return traffic;
  }

  /**
   * One {@code GET /} to {@code host} through the sidecar on 127.0.0.1:{@code port}: the app that
   * answered (its {@code x-demo-app} header), or an IOException saying what went wrong.
   */
  static String get(int port, String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream request = socket.getOutputStream();
      request.write(("GET / HTTP/1.1\r\nhost: " + host + "\r\nconnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      request.flush();
      InputStream response = socket.getInputStream();
      String text = new String(response.readAllBytes(), StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/1.1 200 ")) {
        throw new IOException(text.isEmpty() ? "no response" : text.lines().findFirst().orElseThrow());
      }
      String head = text.substring(0, Math.max(0, text.indexOf("\r\n\r\n"))).toLowerCase(Locale.ROOT);
      return head.lines().filter(line -> line.startsWith(DemoApp.APP_HEADER + ":"))
          .map(line -> line.substring(DemoApp.APP_HEADER.length() + 1).strip()).findFirst().orElse("?");
    }
  }

  private void call() {
    String answered;
    try {
      answered = get(port, host);
    } catch (IOException e) {
      answered = "failed";
    }
    counts.merge(answered, 1, Integer::sum);
  }

  private void report() {
    StringBuilder line = new StringBuilder("traffic frontend -> " + host + ", last " + REPORT.toSeconds() + " s:");
    counts.forEach((app, count) -> line.append(' ').append(app).append(' ').append(count));
    out.println(counts.isEmpty() ? line.append(" nothing") : line);
    out.flush();
    counts.clear();
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }
}
