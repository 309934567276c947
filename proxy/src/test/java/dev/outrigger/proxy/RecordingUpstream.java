package dev.outrigger.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A plaintext HTTP/1.1 upstream on the JDK's server that records each request it receives and
 * answers 200 with "{@code name path}" and {@code x-upstream-*} headers for the proxy to strip.
 */
final class RecordingUpstream implements AutoCloseable {
  /** A request as the upstream saw it; header names lower case, repeated values joined by commas. */
  record Received(String upstream, String method, String path, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name);
    }
  }

  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final String name;
  private final HttpServer server;

  RecordingUpstream(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
    }
    Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((key, values) -> headers.put(key.toLowerCase(Locale.ROOT), String.join(",", values)));
    String path = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    received.add(new Received(name, exchange.getRequestMethod(), path, headers));
    byte[] reply = (name + " " + path).getBytes(StandardCharsets.UTF_8);
    for (String level : new String[] {"config", "vhost", "route"}) {
      exchange.getResponseHeaders().set("x-upstream-" + level, "strip me");
    }
    exchange.sendResponseHeaders(200, reply.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
