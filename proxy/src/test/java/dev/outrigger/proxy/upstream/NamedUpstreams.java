package dev.outrigger.proxy.upstream;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * HTTP upstreams on loopback that answer every request with their own name ({@code upstream-<i>}),
 * after a delay each one is given: enough to see where a balancer sent a request and to make one
 * endpoint slow. Test support for the balancing tests, and for the benchmark that compares policies.
 */
public final class NamedUpstreams implements AutoCloseable {
  static {
    // The JDK server writes head and body apart; with Nagle on, each response waits for a delayed
    // ACK (40 ms). Read once, when the server's config class loads.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService workers = Executors.newCachedThreadPool();

  /** One upstream per entry of {@code delaysMillis}, each answering after its delay. */
  public static NamedUpstreams start(long... delaysMillis) throws IOException {
    NamedUpstreams upstreams = new NamedUpstreams();
    for (int i = 0; i < delaysMillis.length; i++) {
      upstreams.add("upstream-" + i, delaysMillis[i]);
    }
    return upstreams;
  }

  private void add(String name, long delayMillis) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    byte[] body = name.getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        if (delayMillis > 0) {
          TimeUnit.MILLISECONDS.sleep(delayMillis);
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.setExecutor(workers);
    server.start();
    servers.add(server);
  }

  public int port(int index) {
    return servers.get(index).getAddress().getPort();
  }

  public int count() {
    return servers.size();
  }

  /** The {@code lb_endpoints} of a STATIC cluster holding every upstream, as bootstrap YAML (flow style). */
  public String lbEndpoints() {
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      endpoints.add("{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: " + port(i) + "}}}}");
    }
    return "[" + String.join(", ", endpoints) + "]";
  }

  @Override
  public void close() {
    servers.forEach(server -> server.stop(0));
    workers.shutdownNow();
  }
}
