package dev.outrigger.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The app behind the proxy, a JDK HTTP/1.1 server on a loopback port:
 *
 * <ul>
 *   <li>{@code PUT /upload} reads the body to its end and answers with the {@link Digest} of what
 *       it received;
 *   <li>{@code GET /download?size=N&framing=LENGTH|CHUNKED} streams a generated {@link Payload}
 *       and records the digest of what it sent ({@link #takeSent});
 *   <li>{@code GET /held} answers only once the test {@link #release}s it.
 * </ul>
 */
final class HttpUpstream implements AutoCloseable {
  private static final long DOWNLOAD_SEED = 2;
  private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(30);

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final BlockingQueue<Digest> sent = new LinkedBlockingQueue<>();
  private final CountDownLatch heldArrived = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  private HttpUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(handlers);
    server.createContext("/upload", answering(this::upload));
    server.createContext("/download", answering(this::download));
    server.createContext("/held", answering(this::held));
    server.start();
  }

  static HttpUpstream start() throws IOException {
    return new HttpUpstream();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The digest of the next download this server finished sending. */
  Digest takeSent() throws InterruptedException {
    Digest digest = sent.poll(TAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (digest == null) {
      throw new AssertionError("the upstream finished no download within " + TAKE_TIMEOUT);
    }
    return digest;
  }

  /** Whether a {@code GET /held} request has reached this server. */
  boolean heldRequestArrived() {
    return heldArrived.getCount() == 0;
  }

  /** Lets held requests be answered. */
  void release() {
    released.countDown();
  }

  /** The path and query of a download of {@code size} bytes, framed as asked. */
  static String downloadTarget(long size, Framing framing) {
    return "/download?size=" + size + "&framing=" + framing;
  }

  private void upload(HttpExchange exchange) throws IOException {
    Digest received = Digest.of(exchange.getRequestBody());
    reply(exchange, received.toWire());
  }

  private void download(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    long size = Long.parseLong(queryParameter(uri, "size"));
    Framing framing = Framing.valueOf(queryParameter(uri, "framing"));
    exchange.sendResponseHeaders(200, framing == Framing.CHUNKED ? 0 : size);
    try (OutputStream body = exchange.getResponseBody()) {
      sent.add(new Payload(size, DOWNLOAD_SEED).writeTo(body));
    }
  }

  private void held(HttpExchange exchange) throws IOException {
    heldArrived.countDown();
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while held", e);
    }
    reply(exchange, "released");
  }

  private static void reply(HttpExchange exchange, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String queryParameter(URI uri, String name) {
    for (String pair : uri.getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new IllegalArgumentException("no " + name + " in " + uri);
  }

  /** Closes the exchange whatever the handler did, so that a failed handler leaves no connection hanging. */
  private static HttpHandler answering(HttpHandler handler) {
    return exchange -> {
      try (exchange) {
        handler.handle(exchange);
      }
    };
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }
}
