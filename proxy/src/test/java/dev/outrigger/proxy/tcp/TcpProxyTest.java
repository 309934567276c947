package dev.outrigger.proxy.tcp;

import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class TcpProxyTest {
  private static final Duration NO_IDLE = TcpProxyConfig.DEFAULT_IDLE_TIMEOUT;

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  /** Reads to EOF, hashing as it goes; returns the digest and counts into {@code total}. */
  private static byte[] drain(InputStream in, AtomicLong total) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[64 * 1024];
    for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
      digest.update(chunk, 0, n);
      total.addAndGet(n);
    }
    return digest.digest();
  }

  private static CompletableFuture<Void> writeThenFin(Socket socket, byte[] payload) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            OutputStream out = socket.getOutputStream();
            for (int offset = 0; offset < payload.length; offset += 100_000) {
              out.write(payload, offset, Math.min(100_000, payload.length - offset));
            }
            out.flush();
            socket.shutdownOutput();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void largePayloadsArriveByteExactInBothDirectionsAndTheSessionIsRecorded() throws Exception {
    byte[] up = random(16 * 1024 * 1024 + 17, 1);
    byte[] down = random(12 * 1024 * 1024 + 5, 2);
    CompletableFuture<byte[]> upstreamSaw = new CompletableFuture<>();
    try (BlockingTcpServer upstream =
            new BlockingTcpServer(
                socket -> {
                  CompletableFuture<Void> sending = writeThenFin(socket, down);
                  upstreamSaw.complete(drain(socket.getInputStream(), new AtomicLong()));
                  sending.join();
                });
        TcpProxyHarness proxy = TcpProxyHarness.toPorts(NO_IDLE, upstream.port());
        Socket client = proxy.connect()) {
      CompletableFuture<Void> sending = writeThenFin(client, up);
      AtomicLong received = new AtomicLong();

      byte[] clientSaw = drain(client.getInputStream(), received);

      sending.join();
      assertThat(clientSaw).isEqualTo(sha256(down));
      assertThat(upstreamSaw.get(20, TimeUnit.SECONDS)).isEqualTo(sha256(up));
      StreamInfo session = proxy.nextSession();
      assertThat(session.bytesReceived()).isEqualTo(up.length);
      assertThat(session.bytesSent()).isEqualTo(down.length);
      assertThat(session.upstreamCluster()).isEqualTo("backend");
      assertThat(session.upstreamHost()).isEqualTo("127.0.0.1:" + upstream.port());
      assertThat(session.responseFlags()).isEmpty();
      assertThat(session.terminationDetails()).isEmpty();
      assertThat(session.listenerName()).isEqualTo("tcp");
    }
  }

  @Test
  void clientHalfCloseReachesTheUpstreamWhichStillAnswers() throws Exception {
    CountDownLatch upstreamHasRequest = new CountDownLatch(1);
    try (BlockingTcpServer upstream =
            new BlockingTcpServer(
                socket -> {
                  InputStream in = socket.getInputStream();
                  byte[] request = in.readNBytes(5);
                  upstreamHasRequest.countDown();
                  // Answers only after the client's FIN: the answer must still get through.
                  assertThat(in.read()).isEqualTo(-1);
                  socket.getOutputStream().write(("echo:" + new String(request, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                });
        TcpProxyHarness proxy = TcpProxyHarness.toPorts(NO_IDLE, upstream.port());
        Socket client = proxy.connect()) {
      client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      // FIN once the session is up. (Under gVisor, epoll's shutdown(SHUT_RD) fails for a FIN that
      // lands before the upstream connects, and Netty then closes the channel outright.)
      assertThat(upstreamHasRequest.await(20, TimeUnit.SECONDS)).isTrue();
      client.shutdownOutput();

      assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("echo:hello");
      StreamInfo session = proxy.nextSession();
      assertThat(session.responseFlags()).isEmpty();
      assertThat(session.terminationDetails()).isEmpty();
      assertThat(upstream.failures).isEmpty();
    }
  }

  @Test
  void idleTimeoutClosesBothSides() throws Exception {
    CompletableFuture<Integer> upstreamEof = new CompletableFuture<>();
    try (BlockingTcpServer upstream =
            new BlockingTcpServer(
                socket -> {
                  InputStream in = socket.getInputStream();
                  socket.getOutputStream().write(in.read());
                  upstreamEof.complete(in.read());
                });
        TcpProxyHarness proxy = TcpProxyHarness.toPorts(Duration.ofMillis(300), upstream.port());
        Socket client = proxy.connect()) {
      client.getOutputStream().write('x');
      assertThat(client.getInputStream().read()).isEqualTo('x');

      assertThat(client.getInputStream().read()).isEqualTo(-1);
      assertThat(upstreamEof.get(20, TimeUnit.SECONDS)).isEqualTo(-1);
      StreamInfo session = proxy.nextSession();
      assertThat(session.terminationDetails()).isEqualTo(TcpProxy.IDLE_TIMEOUT);
      assertThat(session.bytesReceived()).isEqualTo(1);
      assertThat(session.bytesSent()).isEqualTo(1);
    }
  }

  @Test
  void connectFailureClosesTheDownstream() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    try (TcpProxyHarness proxy = TcpProxyHarness.toPorts(NO_IDLE, closedPort);
        Socket client = proxy.connect()) {
      client.getOutputStream().write("lost".getBytes(StandardCharsets.US_ASCII));

      assertThat(readOrReset(client)).isEqualTo(-1);
      StreamInfo session = proxy.nextSession();
      assertThat(session.responseFlags()).containsExactly(ResponseFlag.UF);
      assertThat(session.upstreamHost()).isEqualTo("127.0.0.1:" + closedPort);
    }
  }

  @Test
  void aClusterWithoutEndpointsOrAnUnknownClusterClosesTheDownstream() throws Exception {
    try (TcpProxyHarness proxy = TcpProxyHarness.toPorts(NO_IDLE);
        Socket client = proxy.connect()) {
      assertThat(readOrReset(client)).isEqualTo(-1);
      StreamInfo session = proxy.nextSession();
      assertThat(session.responseFlags()).containsExactly(ResponseFlag.UH);
      assertThat(session.upstreamHost()).isEmpty();
    }
    try (TcpProxyHarness proxy =
            TcpProxyHarness.withClusters(Map.of(), WeightedClusters.single("missing"), Random::new);
        Socket client = proxy.connect()) {
      assertThat(readOrReset(client)).isEqualTo(-1);
      assertThat(proxy.nextSession().responseFlags()).containsExactly(ResponseFlag.NC);
    }
  }

  /** A close by the proxy with unread input can reach the client as a reset: same outcome here. */
  private static int readOrReset(Socket client) {
    try {
      return client.getInputStream().read();
    } catch (IOException reset) {
      return -1;
    }
  }

  @Test
  void weightedClustersArePickedByTheDraw() throws Exception {
    AtomicInteger draws = new AtomicInteger();
    RandomGenerator counting =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int nextInt(int bound) {
            return draws.getAndIncrement() % bound;
          }
        };
    try (BlockingTcpServer a = new BlockingTcpServer(socket -> socket.getInputStream().read());
        BlockingTcpServer b = new BlockingTcpServer(socket -> socket.getInputStream().read());
        TcpProxyHarness proxy =
            TcpProxyHarness.withClusters(
                Map.of("a", TcpProxyHarness.staticCluster("a", a.port()), "b", TcpProxyHarness.staticCluster("b", b.port())),
                WeightedClusters.of(
                    List.of(new WeightedClusters.Entry("a", 1, HeaderMutations.NONE), new WeightedClusters.Entry("b", 3, HeaderMutations.NONE))),
                () -> counting)) {
      for (int i = 0; i < 8; i++) {
        try (Socket client = proxy.connect()) {
          client.getOutputStream().write('x');
          client.shutdownOutput();
          assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
      }
      // Draws 0..7 over total weight 4: 0 and 4 go to a, the rest to b.
      await().atMost(Duration.ofSeconds(20)).until(() -> a.connections() + b.connections() == 8);
      assertThat(a.connections()).isEqualTo(2);
      assertThat(b.connections()).isEqualTo(6);
    }
  }

  @Test
  void aSlowUpstreamStopsTheProxyReadingTheClient() throws Exception {
    int payload = 64 * 1024 * 1024;
    byte[] up = random(payload, 3);
    CountDownLatch upstreamMayRead = new CountDownLatch(1);
    CompletableFuture<byte[]> upstreamSaw = new CompletableFuture<>();
    try (BlockingTcpServer upstream =
            new BlockingTcpServer(
                64 * 1024,
                socket -> {
                  upstreamMayRead.await();
                  upstreamSaw.complete(drain(socket.getInputStream(), new AtomicLong()));
                });
        TcpProxyHarness proxy = TcpProxyHarness.toPorts(NO_IDLE, upstream.port())) {
      Socket client = new Socket();
      client.setSendBufferSize(64 * 1024);
      client.connect(proxy.address());
      AtomicLong written = new AtomicLong();
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                try {
                  OutputStream out = client.getOutputStream();
                  for (int offset = 0; offset < payload; offset += 64 * 1024) {
                    out.write(up, offset, 64 * 1024);
                    written.addAndGet(64 * 1024);
                  }
                  client.shutdownOutput();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });

      awaitStalled(written);
      // Kernel buffers on both hops plus the proxy's watermark-bounded queue: far below the payload.
      assertThat(written.get()).isLessThan(payload / 4);
      assertThat(sending).isNotDone();

      upstreamMayRead.countDown();
      sending.get(60, TimeUnit.SECONDS);
      assertThat(upstreamSaw.get(60, TimeUnit.SECONDS)).isEqualTo(sha256(up));
      client.close();
    }
  }

  @Test
  void aSlowClientStopsTheProxyReadingTheUpstream() throws Exception {
    int payload = 64 * 1024 * 1024;
    byte[] down = random(payload, 4);
    AtomicLong written = new AtomicLong();
    try (BlockingTcpServer upstream =
            new BlockingTcpServer(
                socket -> {
                  socket.setSendBufferSize(64 * 1024);
                  OutputStream out = socket.getOutputStream();
                  for (int offset = 0; offset < payload; offset += 64 * 1024) {
                    out.write(down, offset, 64 * 1024);
                    written.addAndGet(64 * 1024);
                  }
                });
        TcpProxyHarness proxy = TcpProxyHarness.toPorts(NO_IDLE, upstream.port());
        Socket client = new Socket()) {
      client.setReceiveBufferSize(64 * 1024);
      client.setSoTimeout(20_000);
      client.connect(proxy.address());

      awaitStalled(written);
      assertThat(written.get()).isLessThan(payload / 4);

      AtomicLong received = new AtomicLong();
      assertThat(drain(client.getInputStream(), received)).isEqualTo(sha256(down));
      assertThat(received.get()).isEqualTo(payload);
    }
  }

  // The two half-close tests below move 64 MiB to a side whose peer has already sent its FIN, with
  // that peer's reads held back or slow so the proxy's writes to that side must wait for EPOLLOUT.
  // On Netty 4.2.18 epoll that wait failed with epoll_ctl ENOENT (see EpollInterestPin).

  @Test
  void theClientKeepsSendingAfterTheUpstreamHalfCloses() throws Exception {
    byte[] greeting = random(1024 * 1024, 5);
    int payload = 64 * 1024 * 1024;
    byte[] up = random(payload, 6);
    CountDownLatch upstreamMayRead = new CountDownLatch(1);
    CompletableFuture<byte[]> upstreamSaw = new CompletableFuture<>();
    AtomicLong upstreamReceived = new AtomicLong();
    try (BlockingTcpServer upstream =
            new BlockingTcpServer(
                64 * 1024,
                socket -> {
                  writeThenFin(socket, greeting).join();
                  upstreamMayRead.await();
                  upstreamSaw.complete(drain(socket.getInputStream(), upstreamReceived));
                });
        TcpProxyHarness proxy = TcpProxyHarness.toPorts(NO_IDLE, upstream.port());
        Socket client = proxy.connect()) {
      // The upstream's FIN reaches the client, so the proxy has processed it, before the client sends.
      assertThat(drain(client.getInputStream(), new AtomicLong())).isEqualTo(sha256(greeting));
      AtomicLong written = new AtomicLong();
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                try {
                  OutputStream out = client.getOutputStream();
                  for (int offset = 0; offset < payload; offset += 64 * 1024) {
                    out.write(up, offset, 64 * 1024);
                    written.addAndGet(64 * 1024);
                  }
                  client.shutdownOutput();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });

      // The proxy's socket to the upstream is full: its next write has to wait for EPOLLOUT.
      awaitStalled(written);
      upstreamMayRead.countDown();

      sending.get(60, TimeUnit.SECONDS);
      assertThat(upstreamSaw.get(60, TimeUnit.SECONDS)).isEqualTo(sha256(up));
      assertThat(upstreamReceived.get()).isEqualTo(payload);
      assertThat(upstream.failures).isEmpty();
      StreamInfo session = proxy.nextSession();
      assertThat(session.bytesReceived()).isEqualTo(payload);
      assertThat(session.bytesSent()).isEqualTo(greeting.length);
    }
  }

  @Test
  void theUpstreamKeepsSendingAfterTheClientHalfCloses() throws Exception {
    byte[] down = random(64 * 1024 * 1024 + 7, 7);
    try (BlockingTcpServer upstream =
            new BlockingTcpServer(
                socket -> {
                  InputStream in = socket.getInputStream();
                  byte[] request = in.readAllBytes();
                  // Sends only after the client's FIN has come through the proxy.
                  assertThat(new String(request, StandardCharsets.US_ASCII)).isEqualTo("send");
                  writeThenFin(socket, down).join();
                });
        TcpProxyHarness proxy = TcpProxyHarness.toPorts(NO_IDLE, upstream.port());
        Socket client = new Socket()) {
      client.setReceiveBufferSize(64 * 1024);
      client.setSoTimeout(20_000);
      client.connect(proxy.address());
      client.getOutputStream().write("send".getBytes(StandardCharsets.US_ASCII));
      client.shutdownOutput();

      AtomicLong received = new AtomicLong();
      assertThat(drain(client.getInputStream(), received)).isEqualTo(sha256(down));
      assertThat(received.get()).isEqualTo(down.length);
      assertThat(upstream.failures).isEmpty();
      StreamInfo session = proxy.nextSession();
      assertThat(session.bytesSent()).isEqualTo(down.length);
      assertThat(session.responseFlags()).isEmpty();
    }
  }

  /** Waits until a writer's progress counter stops moving: the path is full and nothing reads. */
  private static void awaitStalled(AtomicLong written) {
    long[] previous = {-1};
    await()
        .pollInterval(Duration.ofMillis(250))
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              long now = written.get();
              boolean stalled = now > 0 && now == previous[0];
              previous[0] = now;
              return stalled;
            });
  }
}
