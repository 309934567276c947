package dev.outrigger.proxy.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A tiny upstream web app for the demo: it answers every request with its own name and what it
 * received, so a reader of curl's output sees which app the proxy chose and what it forwarded.
 * Built on the JDK's HTTP server on purpose: the demo's upstreams share no code with the proxy.
 */
final class DemoApp implements AutoCloseable {
  /** Request headers worth showing: the ones the proxy adds or rewrites. */
  private static final List<String> SHOWN_HEADERS =
      List.of("host", "user-agent", "x-request-id", "x-forwarded-for", "x-forwarded-proto");

  private final String name;
  private final HttpServer server;

  private DemoApp(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  static DemoApp start(String name, InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    DemoApp app = new DemoApp(name, server);
    server.createContext("/", app::answer);
    server.start();
    return app;
  }

  String name() {
    return name;
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
      byte[] body = describe(exchange).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
      exchange.getResponseHeaders().set("x-demo-app", name);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private String describe(HttpExchange exchange) {
    StringBuilder text =
        new StringBuilder("hello from ")
            .append(name)
            .append('\n')
            .append(exchange.getRequestMethod())
            .append(' ')
            .append(exchange.getRequestURI())
            .append(' ')
            .append(exchange.getProtocol())
            .append('\n');
    for (String header : SHOWN_HEADERS) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        text.append(header).append(": ").append(value).append('\n');
      }
    }
    return text.toString();
  }

  /** Stops at once: the demo's requests are short and nobody waits for them at exit. */
  @Override
  public void close() {
    server.stop(0);
  }
}
