package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bytes through the TCP proxy at the same time both ways: byte-exact in both directions with the
 * proxy's heap capped at 64 MiB, with and without a half-close while the other direction flows.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class TcpStreamingTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final long CLIENT_SEED = 3;
  private static final long UPSTREAM_SEED = 4;

  @RegisterExtension static final ProxyProcesses proxies = new ProxyProcesses();

  /**
   * 1 GiB each way at the same time, each end closing once it has sent its gibibyte and received
   * the other's: full-duplex streaming and backpressure, with no FIN in flight until the end.
   */
  @Test
  void streamsAGibibyteEachWayAtOnceExactly() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(Duplex.counting(new Payload(GIB, UPSTREAM_SEED), GIB))) {
      InetSocketAddress listener = startProxyTo(upstream);

      Duplex.Traffic client = Duplex.counting(new Payload(GIB, CLIENT_SEED), GIB).run(connect(listener));
      Duplex.Traffic app = upstream.awaitTraffic(Duration.ofSeconds(30));

      assertThat(app.received()).as("what the upstream received").isEqualTo(client.sent());
      assertThat(client.received()).as("what the client received").isEqualTo(app.sent());
      assertThat(client.received().bytes()).isEqualTo(GIB);
      assertThat(app.received().bytes()).isEqualTo(GIB);
    }
  }

  /** 1 GiB each way at the same time, each end half-closing when done sending; either may finish first. */
  @Test
  void relaysAGibibyteEachWayAtOnceExactly() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(Duplex.halfClosing(new Payload(GIB, UPSTREAM_SEED)))) {
      InetSocketAddress listener = startProxyTo(upstream);

      Duplex.Traffic client = Duplex.halfClosing(new Payload(GIB, CLIENT_SEED)).run(connect(listener));
      Duplex.Traffic app = upstream.awaitTraffic(Duration.ofSeconds(30));

      assertThat(app.received()).as("what the upstream received").isEqualTo(client.sent());
      assertThat(client.received()).as("what the client received").isEqualTo(app.sent());
      assertThat(client.received().bytes()).isEqualTo(GIB);
      assertThat(app.received().bytes()).isEqualTo(GIB);
    }
  }

  /**
   * The order the test above leaves to chance: the upstream has said all it had to say and
   * half-closed, while the client still sends; the proxy must keep relaying the client's bytes.
   */
  @Test
  void keepsRelayingTheClientsBytesAfterTheUpstreamHalfCloses() throws Exception {
    try (TcpUpstream upstream = TcpUpstream.start(Duplex.halfClosing(new Payload(MIB, UPSTREAM_SEED)))) {
      InetSocketAddress listener = startProxyTo(upstream);

      Duplex.Traffic client = Duplex.halfClosing(new Payload(256 * MIB, CLIENT_SEED)).run(connect(listener));
      Duplex.Traffic app = upstream.awaitTraffic(Duration.ofSeconds(30));

      assertThat(app.received()).as("what the upstream received").isEqualTo(client.sent());
      assertThat(client.received()).as("what the client received").isEqualTo(app.sent());
      assertThat(app.received().bytes()).isEqualTo(256 * MIB);
    }
  }

  private static InetSocketAddress startProxyTo(TcpUpstream upstream) throws IOException {
    Bootstrap bootstrap = new Bootstrap().tcpListener("tcp", "app").cluster("app", upstream.port());
    proxies.start(bootstrap);
    return bootstrap.listener("tcp");
  }

  private static Socket connect(InetSocketAddress listener) throws IOException {
    return new Socket(listener.getAddress(), listener.getPort());
  }
}
