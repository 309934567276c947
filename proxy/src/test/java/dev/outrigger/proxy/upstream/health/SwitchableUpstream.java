package dev.outrigger.proxy.upstream.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 upstream on loopback whose answers the test switches: {@code /healthz} answers
 * {@link #health}, every other path {@link #status} with its name in {@code x-upstream}; requests
 * to other paths are counted.
 */
final class SwitchableUpstream implements AutoCloseable {
  static final String HEALTH_PATH = "/healthz";

  final String name;
  final AtomicInteger health = new AtomicInteger(200);
  final AtomicInteger status = new AtomicInteger(200);
  final AtomicInteger served = new AtomicInteger();
  final AtomicInteger healthChecks = new AtomicInteger();
  private final HttpServer server;

  SwitchableUpstream(String name) throws IOException {
    this.name = name;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    boolean healthCheck = exchange.getRequestURI().getPath().equals(HEALTH_PATH);
    (healthCheck ? healthChecks : served).incrementAndGet();
    byte[] body = name.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("x-upstream", name);
    exchange.sendResponseHeaders(healthCheck ? health.get() : status.get(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
