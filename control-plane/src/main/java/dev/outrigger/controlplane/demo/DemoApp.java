package dev.outrigger.controlplane.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A sample service's app: answers every request with its name and who called it, as its sidecar
 * told it in {@code x-forwarded-client-cert} (the caller's SPIFFE ID, proven by mTLS).
 */
final class DemoApp implements AutoCloseable {
  static final String APP_HEADER = "x-demo-app";

  private final HttpServer server;
  private final ExecutorService threads;

  private DemoApp(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  static DemoApp start(String name, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    server.setExecutor(threads);
    server.createContext("/", exchange -> answer(name, exchange));
    server.start();
    return new DemoApp(server, threads);
  }

  private static void answer(String name, HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
      String caller = exchange.getRequestHeaders().getFirst("x-forwarded-client-cert");
      String body = "hello from " + name + "\n" + exchange.getRequestMethod() + " " + exchange.getRequestURI()
          + "\nx-forwarded-client-cert: " + (caller == null ? "-" : caller) + "\n";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
      exchange.getResponseHeaders().set(APP_HEADER, name);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
