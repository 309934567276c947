package dev.outrigger.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An Envoy v3 bootstrap for one test: listeners and the admin server on free loopback ports,
 * STATIC clusters of one endpoint each. Ports are picked here, not by the proxy, because the test
 * must know the admin port before the process starts.
 */
final class Bootstrap {
  private static final String LOOPBACK = "127.0.0.1";

  private final int adminPort = freePort();
  private final Map<String, Integer> listenerPorts = new LinkedHashMap<>();
  private final StringBuilder listeners = new StringBuilder();
  private final StringBuilder clusters = new StringBuilder();

  /** A listener whose HTTP connection manager (codec AUTO: HTTP/1.1 or h2c) routes every request to {@code cluster}. */
  Bootstrap httpListener(String name, String cluster) {
    listeners.append(listenerHead(name)).append(filter("""
        - name: envoy.filters.network.http_connection_manager
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
            stat_prefix: %1$s
            codec_type: AUTO
            route_config:
              virtual_hosts:
              - name: %1$s
                domains: ["*"]
                routes:
                - match: { prefix: / }
                  # No route timeout: a gibibyte may take longer than Envoy's default 15 s.
                  route: { cluster: %2$s, timeout: 0s }
            http_filters:
            - name: envoy.filters.http.router
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """.formatted(name, cluster)));
    return this;
  }

  /** A listener that relays bytes to {@code cluster} unparsed. */
  Bootstrap tcpListener(String name, String cluster) {
    listeners.append(listenerHead(name)).append(filter("""
        - name: envoy.filters.network.tcp_proxy
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
            stat_prefix: %s
            cluster: %s
        """.formatted(name, cluster)));
    return this;
  }

  /** A STATIC cluster of the one endpoint 127.0.0.1:{@code port}. */
  Bootstrap cluster(String name, int port) {
    clusters.append("""
        - name: %1$s
          type: STATIC
          connect_timeout: 2s
          load_assignment:
            cluster_name: %1$s
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: %2$s, port_value: %3$d }
        """.formatted(name, LOOPBACK, port).indent(2));
    return this;
  }

  InetSocketAddress admin() {
    return loopback(adminPort);
  }

  InetSocketAddress listener(String name) {
    Integer port = listenerPorts.get(name);
    if (port == null) {
      throw new NoSuchElementException("no listener named " + name);
    }
    return loopback(port);
  }

  String yaml() {
    return """
        admin:
          address:
            socket_address: { address: %s, port_value: %d }
        static_resources:
          listeners:
        %s  clusters:
        %s""".formatted(LOOPBACK, adminPort, listeners, clusters);
  }

  private String listenerHead(String name) {
    int port = freePort();
    listenerPorts.put(name, port);
    return """
        - name: %s
          address:
            socket_address: { address: %s, port_value: %d }
          filter_chains:
          - filters:
        """.formatted(name, LOOPBACK, port).indent(2);
  }

  /** Indents a network filter under its listener's {@code filters:}. */
  private static String filter(String yaml) {
    return yaml.indent(6);
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** A port nothing listens on right now; another process could still take it before the proxy does. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
