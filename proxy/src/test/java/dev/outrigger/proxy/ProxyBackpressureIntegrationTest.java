package dev.outrigger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Backpressure through a proxy started from YAML: a peer that stops reading holds the other side
 * back, so the bytes in flight stay bounded by socket buffers and the per-connection limit instead
 * of growing with the body.
 */
class ProxyBackpressureIntegrationTest {
  private static final long UPLOAD = 64L * 1024 * 1024;
  private static final long DOWNLOAD = 1L << 30;
  /** Kernel socket buffers on both hops plus the proxy's own limit stay well below this. */
  private static final long IN_FLIGHT_BOUND = 32L * 1024 * 1024;

  private static String bootstrap(int upstreamPort) {
    return """
        node: { id: it, cluster: it }
        static_resources:
          listeners:
          - name: http
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: http
                  stream_idle_timeout: 0s
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: slow, timeout: 0s }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
          clusters:
          - name: slow
            type: STATIC
            load_assignment:
              cluster_name: slow
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: PORT } } }
        """
        .replace("PORT", Integer.toString(upstreamPort));
  }

  @Test
  void anUpstreamThatStopsReadingStallsTheUploadThenTakesItWhole() throws Exception {
    try (StallingUpstream upstream = new StallingUpstream();
        Proxy proxy = Proxy.start(BootstrapLoader.loadYaml(bootstrap(upstream.port())), ProxyOptions.defaults().withThreads(1));
        Socket client = connect(proxy)) {
      AtomicLong sent = new AtomicLong();
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> upload(client, sent));

      assertThat(upstream.headReceived.await(20, TimeUnit.SECONDS)).isTrue();
      awaitStalled(sent::get);
      assertThat(sent.get()).isLessThan(IN_FLIGHT_BOUND);
      assertThat(upstream.bodyBytesRead.get()).isZero();

      upstream.resume();
      upload.get(60, TimeUnit.SECONDS);
      assertThat(readResponseBody(client.getInputStream())).isEqualTo(StallingUpstream.lengthAndCrc(UPLOAD));
    }
  }

  @Test
  void anHttp2ClientThatDoesNotOpenItsWindowHoldsBackTheUpstream() throws Exception {
    try (StallingUpstream upstream = new StallingUpstream();
        Proxy proxy = Proxy.start(BootstrapLoader.loadYaml(bootstrap(upstream.port())), ProxyOptions.defaults().withThreads(1));
        Socket client = connect(proxy)) {
      // h2c with prior knowledge, written by hand so that nothing on the client reads or sends WINDOW_UPDATE.
      OutputStream out = client.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(frame(0x4, 0, 0, new byte[0]));
      out.write(frame(0x1, 0x5, 1, requestHeaders("/bytes/" + DOWNLOAD)));
      out.flush();

      assertThat(upstream.headReceived.await(20, TimeUnit.SECONDS)).isTrue();
      awaitStalled(upstream.bodyBytesWritten::get);
      assertThat(upstream.bodyBytesWritten.get()).isLessThan(IN_FLIGHT_BOUND);
    }
  }

  private static Socket connect(Proxy proxy) throws IOException {
    InetSocketAddress address = proxy.listenerAddress("http");
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(60_000);
    return socket;
  }

  /** Waits until {@code progress} has moved and then stands still for a whole second. */
  private static void awaitStalled(LongSupplier progress) {
    long[] last = {-1};
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> {
          long now = progress.getAsLong();
          boolean unchanged = now > 0 && now == last[0];
          last[0] = now;
          return unchanged;
        });
    long stalledAt = last[0];
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> progress.getAsLong() == stalledAt);
  }

  private static void upload(Socket client, AtomicLong sent) {
    try {
      OutputStream out = client.getOutputStream();
      out.write(("POST /upload HTTP/1.1\r\nhost: it\r\ncontent-length: " + UPLOAD + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      for (long offset = 0; offset < UPLOAD; offset += chunk.length) {
        StallingUpstream.fill(chunk, offset, chunk.length);
        out.write(chunk);
        sent.addAndGet(chunk.length);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readResponseBody(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int next = in.read();
      assertThat(next).as("response head so far: %s", head).isNotNegative();
      head.write(next);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    assertThat(text).startsWith("HTTP/1.1 200");
    int length =
        Integer.parseInt(text.replaceAll("(?s).*content-length: *(\\d+).*", "$1"));
    return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }

  private static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
    frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
    frame.put((byte) type).put((byte) flags).putInt(stream).put(payload);
    return frame.array();
  }

  /** GET {@code path} in HPACK: indexed :method and :scheme, literal :path and :authority (no Huffman). */
  private static byte[] requestHeaders(String path) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x82); // :method GET
    block.write(0x86); // :scheme http
    literal(block, 4, path);
    literal(block, 1, "it");
    return block.toByteArray();
  }

  private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    block.write(nameIndex); // literal without indexing, name from the static table
    block.write(bytes.length);
    block.write(bytes, 0, bytes.length);
  }
}
