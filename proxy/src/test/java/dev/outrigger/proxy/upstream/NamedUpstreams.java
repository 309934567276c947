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

  /**
   * A bootstrap for a proxy in front of these upstreams: listener {@code in} on 127.0.0.1 (port
   * chosen by the kernel), one route to the STATIC cluster {@code app} holding every upstream.
   *
   * @param clusterLb the cluster's balancing fields, YAML indented by 4 spaces after the first line
   * @param hashPolicy the route's {@code hash_policy} list, YAML flow style
   */
  public String bootstrap(String clusterLb, String hashPolicy) {
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      endpoints.add("{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: " + port(i) + "}}}}");
    }
    return """
        static_resources:
          listeners:
          - name: in
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: in
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: {prefix: /}
                        route: {cluster: app, hash_policy: %s}
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
          clusters:
          - name: app
            %s
            load_assignment:
              cluster_name: app
              endpoints: [{lb_endpoints: [%s]}]
        """.formatted(hashPolicy, clusterLb, String.join(", ", endpoints));
  }

  /** The peak-EWMA {@code load_balancing_policy} with its defaults, for {@link #bootstrap}. */
  public static final String PEAK_EWMA = "load_balancing_policy:\n"
      + "      policies:\n"
      + "      - typed_extension_config:\n"
      + "          name: envoy.load_balancing_policies.peak_ewma\n"
      + "          typed_config: {\"@type\": type.googleapis.com/outrigger.lb.v1.PeakEwma}";

  @Override
  public void close() {
    servers.forEach(server -> server.stop(0));
    workers.shutdownNow();
  }
}
