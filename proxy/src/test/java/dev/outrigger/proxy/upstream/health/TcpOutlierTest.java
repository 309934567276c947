package dev.outrigger.proxy.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.ProxyOptions;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** TCP proxying reports connect failures to outlier detection: an endpoint that refuses is ejected. */
class TcpOutlierTest {

  @Test
  void anEndpointRefusingConnectionsIsEjectedFromTcpProxying() throws Exception {
    int closed;
    try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      closed = gone.getLocalPort();
    }
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> greet(open, accepted), "greeter");
      acceptor.setDaemon(true);
      acceptor.start();
      String yaml = """
          static_resources:
            listeners:
            - name: tcp
              address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
              filter_chains:
              - filters:
                - name: envoy.filters.network.tcp_proxy
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                    stat_prefix: tcp
                    cluster: svc
            clusters:
            - name: svc
              connect_timeout: 1s
              outlier_detection: { consecutive_5xx: 2, interval: 1s, base_ejection_time: 60s, max_ejection_percent: 50 }
              load_assignment:
                cluster_name: svc
                endpoints:
                - lb_endpoints:
                  - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: OPEN } } }
                  - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: CLOSED } } }
          """.replace("OPEN", Integer.toString(open.getLocalPort())).replace("CLOSED", Integer.toString(closed));
      try (Proxy proxy = Proxy.start(BootstrapLoader.loadYaml(yaml), ProxyOptions.defaults().withThreads(1))) {
        InetSocketAddress listener = proxy.listenerAddress("tcp");
        int greeted = 0;
        for (int i = 0; i < 4; i++) { // round robin: two to each endpoint, two refusals eject
          greeted += greeting(listener) ? 1 : 0;
        }
        assertThat(greeted).isEqualTo(2);

        for (int i = 0; i < 4; i++) {
          assertThat(greeting(listener)).as("connection %d after the ejection", i).isTrue();
        }
      }
    }
  }

  /** Whether a connection through the proxy reached the greeting upstream (else the proxy closed it). */
  private static boolean greeting(InetSocketAddress listener) throws IOException {
    try (Socket client = new Socket(listener.getAddress(), listener.getPort())) {
      client.setSoTimeout(10_000);
      InputStream in = client.getInputStream();
      return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("hello");
    }
  }

  private static void greet(ServerSocket server, AtomicInteger accepted) {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        accepted.incrementAndGet();
        socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        return;
      }
    }
  }
}
