package dev.outrigger.proxy.listener;

import static dev.outrigger.proxy.listener.Chains.chain;
import static dev.outrigger.proxy.listener.Chains.listener;
import static dev.outrigger.proxy.listener.Chains.match;
import static dev.outrigger.proxy.listener.Chains.tlsChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig.CodecType;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ListenerConfig.Inspector;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.tls.TestPki;
import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ListenerServerTest {
  private static final Duration LONG_INSPECTION = Duration.ofSeconds(30);
  private static final List<Inspector> BOTH = List.of(Inspector.TLS, Inspector.HTTP);

  private static Transport transport;
  private static EventLoopGroup group;
  private static TestPki pki;

  private final ChainReporter reporter = new ChainReporter();
  private final List<ListenerServer> servers = new ArrayList<>();
  private final AtomicInteger unmatched = new AtomicInteger();
  private final List<Boolean> handshakes = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void startLoop() {
    transport = Transport.best();
    group = transport.newGroup(2);
    pki = TestPki.get();
  }

  @AfterAll
  static void stopLoop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @AfterEach
  void stopServers() {
    servers.forEach(ListenerServer::stopAccepting);
  }

  private InetSocketAddress start(ListenerConfig config) throws InterruptedException {
    ListenerObserver observer =
        new ListenerObserver() {
          @Override
          public void noFilterChainMatched(ListenerConfig listener) {
            unmatched.incrementAndGet();
          }

          @Override
          public void tlsHandshakeCompleted(ListenerConfig listener, boolean success) {
            handshakes.add(success);
          }
        };
    ListenerServer server = ListenerServer.bind(config, group, transport, () -> null, reporter, observer);
    servers.add(server);
    return server.boundAddress();
  }

  private static DownstreamTlsConfig serverTls(List<String> alpn) {
    return new DownstreamTlsConfig(pki.server, Optional.empty(), false, alpn);
  }

  private static Socket plain(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static SSLSocket tls(InetSocketAddress address, String sni, CertificateKeyPair clientCert, String... alpn)
      throws Exception {
    SSLSocket socket =
        (SSLSocket) pki.jdkClientContext(pki.caPem, clientCert).getSocketFactory().createSocket(address.getAddress(), address.getPort());
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    if (sni != null) {
      parameters.setServerNames(List.of(new SNIHostName(sni)));
    }
    parameters.setApplicationProtocols(alpn);
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("closed before a line: " + line);
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static byte[] send(Socket socket, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return bytes;
  }

  private static List<FilterChainConfig> plaintextChains() {
    return List.of(
        chain("h1", match(null, List.of(), null, List.of("http/1.1"))),
        chain("h2c", match(null, List.of(), null, List.of("h2c"))),
        chain("raw", match(null, List.of(), null, List.of())));
  }

  @Test
  void httpInspectorRoutesHttp1AndH2cAndLeavesTheBytesForTheFilter() throws Exception {
    InetSocketAddress address = start(listener(0, BOTH, LONG_INSPECTION, plaintextChains(), null));

    try (Socket socket = plain(address)) {
      byte[] request = send(socket, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=h1 tls=false sni=- alpn=http/1.1");
      assertThat(socket.getInputStream().readNBytes(request.length)).isEqualTo(request);
    }
    try (Socket socket = plain(address)) {
      byte[] preface = send(socket, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=h2c tls=false sni=- alpn=h2c");
      assertThat(socket.getInputStream().readNBytes(preface.length)).isEqualTo(preface);
    }
    try (Socket socket = plain(address)) {
      send(socket, "hello world\n");
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=raw tls=false sni=- alpn=-");
      assertThat(readLine(socket.getInputStream())).isEqualTo("hello world");
    }
  }

  @Test
  void inspectionTimeoutChoosesOnWhatIsKnownWhenTheClientSendsNothing() throws Exception {
    InetSocketAddress address = start(listener(0, BOTH, Duration.ofMillis(200), plaintextChains(), null));

    try (Socket socket = plain(address)) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=raw tls=false sni=- alpn=-");
    }
  }

  @Test
  void inspectionTimeoutAfterAnUndecidedPrefixReplaysIt() throws Exception {
    InetSocketAddress address = start(listener(0, BOTH, Duration.ofMillis(200), plaintextChains(), null));

    try (Socket socket = plain(address)) {
      send(socket, "GE");
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=raw tls=false sni=- alpn=-");
      assertThat(socket.getInputStream().readNBytes(2)).isEqualTo("GE".getBytes(StandardCharsets.US_ASCII));
    }
  }

  @Test
  void tlsChainsBySniExactThenLongestWildcardWithAlpnNegotiated() throws Exception {
    DownstreamTlsConfig tlsConfig = serverTls(List.of("h2", "http/1.1"));
    InetSocketAddress address =
        start(
            listener(
                0,
                BOTH,
                LONG_INSPECTION,
                List.of(
                    tlsChain("exact", match(null, List.of("api.example.com"), "tls", List.of()), tlsConfig),
                    tlsChain("wild", match(null, List.of("*.example.com"), "tls", List.of()), tlsConfig),
                    tlsChain("svc", match(null, List.of("*.svc.example.com"), "tls", List.of()), tlsConfig),
                    chain("plain", match(null, List.of(), "raw_buffer", List.of()))),
                null));

    try (SSLSocket socket = tls(address, "api.example.com", null, "h2")) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=exact tls=true sni=api.example.com alpn=h2");
      send(socket, "ping\n");
      assertThat(readLine(socket.getInputStream())).isEqualTo("ping");
    }
    try (SSLSocket socket = tls(address, "www.example.com", null, "http/1.1")) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=wild tls=true sni=www.example.com alpn=http/1.1");
    }
    try (SSLSocket socket = tls(address, "db.svc.example.com", null)) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=svc tls=true sni=db.svc.example.com alpn=-");
    }
    try (Socket socket = plain(address)) {
      send(socket, "not http\n");
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=plain tls=false sni=- alpn=-");
    }
    assertThat(handshakes).containsOnly(true).hasSize(3);
  }

  @Test
  void applicationProtocolsPickTheChainAndTransportSeparatesTlsFromPlaintext() throws Exception {
    InetSocketAddress address =
        start(
            listener(
                0,
                List.of(Inspector.TLS),
                LONG_INSPECTION,
                List.of(
                    tlsChain("tls-h2", match(null, List.of(), "tls", List.of("h2")), serverTls(List.of("h2"))),
                    tlsChain("tls-other", match(null, List.of(), "tls", List.of()), serverTls(List.of("http/1.1"))),
                    chain("raw", match(null, List.of(), "raw_buffer", List.of()))),
                null));

    try (SSLSocket socket = tls(address, "localhost", null, "h2", "http/1.1")) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=tls-h2 tls=true sni=localhost alpn=h2");
    }
    try (SSLSocket socket = tls(address, "localhost", null, "http/1.1")) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=tls-other tls=true sni=localhost alpn=http/1.1");
    }
    try (Socket socket = plain(address)) {
      send(socket, "GET / HTTP/1.1\r\n");
      // Only the TLS inspector runs here, so no application protocol is known.
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=raw tls=false sni=- alpn=-");
    }
  }

  @Test
  void withoutTheTlsInspectorTheSniComesFromTheHandshake() throws Exception {
    InetSocketAddress address =
        start(
            listener(
                0, List.of(), LONG_INSPECTION,
                List.of(tlsChain("tls", match(null, List.of(), null, List.of()), serverTls(List.of("h2")))), null));

    try (SSLSocket socket = tls(address, "late.example.com", null, "h2")) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=tls tls=true sni=late.example.com alpn=h2");
    }
  }

  @Test
  void undecidedBytesStopBeingPeekedAtTheBoundAndAllReachTheFilter() throws Exception {
    InetSocketAddress address = start(listener(0, BOTH, LONG_INSPECTION, plaintextChains(), null));

    try (Socket socket = plain(address)) {
      // Token characters could still become an HTTP method: only the bound ends the inspection.
      byte[] sent = send(socket, "a".repeat(ProtocolInspector.MAX_PEEK_BYTES + 1000));
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=raw tls=false sni=- alpn=-");
      assertThat(socket.getInputStream().readNBytes(sent.length)).isEqualTo(sent);
    }
  }

  @Test
  void perConnectionBufferLimitBecomesTheWriteWatermark() throws Exception {
    ListenerConfig config =
        new ListenerConfig(
            "limited", new InetSocketAddress("127.0.0.1", 0), List.of(), LONG_INSPECTION,
            List.of(chain("any", match(null, List.of(), null, List.of()))), Optional.empty(), 32 * 1024);
    InetSocketAddress address = start(config);

    try (Socket socket = plain(address)) {
      readLine(socket.getInputStream());
      io.netty.channel.Channel accepted = reporter.channels.poll(10, TimeUnit.SECONDS);
      assertThat(accepted.config().getWriteBufferHighWaterMark()).isEqualTo(32 * 1024);
      assertThat(accepted.config().getWriteBufferLowWaterMark()).isEqualTo(16 * 1024);
    }
  }

  @Test
  void withoutConfiguredAlpnAnHttpChainOffersWhatItsCodecSpeaks() throws Exception {
    InetSocketAddress auto =
        start(listener(0, List.of(), LONG_INSPECTION, List.of(Chains.httpTlsChain("auto", CodecType.AUTO, serverTls(List.of()))), null));
    InetSocketAddress http1 =
        start(listener(0, List.of(), LONG_INSPECTION, List.of(Chains.httpTlsChain("h1", CodecType.HTTP1, serverTls(List.of()))), null));

    try (SSLSocket socket = tls(auto, "localhost", null, "h2", "http/1.1")) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=auto tls=true sni=localhost alpn=h2");
    }
    try (SSLSocket socket = tls(http1, "localhost", null, "h2", "http/1.1")) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=h1 tls=true sni=localhost alpn=http/1.1");
    }
  }

  @Test
  void destinationPortChainWinsOverAnyPortChain() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    InetSocketAddress address =
        start(
            listener(
                port,
                List.of(),
                LONG_INSPECTION,
                List.of(
                    chain("any-port", match(null, List.of(), null, List.of())),
                    chain("this-port", match(port, List.of(), null, List.of())),
                    chain("other-port", match(port == 1 ? 2 : 1, List.of(), null, List.of()))),
                null));

    try (Socket socket = plain(address)) {
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=this-port tls=false sni=- alpn=-");
    }
  }

  @Test
  void noMatchingChainClosesUnlessThereIsADefaultChain() throws Exception {
    List<FilterChainConfig> chains = List.of(chain("h2c-only", match(null, List.of(), null, List.of("h2c"))));
    InetSocketAddress strict = start(listener(0, BOTH, LONG_INSPECTION, chains, null));
    InetSocketAddress lenient =
        start(listener(0, BOTH, LONG_INSPECTION, chains, chain("default", match(null, List.of(), null, List.of()))));

    try (Socket socket = plain(strict)) {
      send(socket, "GET / HTTP/1.1\r\n");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(unmatched).hasValue(1);
    try (Socket socket = plain(lenient)) {
      send(socket, "GET / HTTP/1.1\r\n");
      assertThat(readLine(socket.getInputStream())).isEqualTo("chain=default tls=false sni=- alpn=http/1.1");
    }
  }

  @Test
  void requiredClientCertificateIsVerifiedAgainstTheTrustedCa() throws Exception {
    DownstreamTlsConfig mtls = new DownstreamTlsConfig(pki.server, Optional.of(pki.caPem), true, List.of());
    InetSocketAddress address =
        start(listener(0, List.of(Inspector.TLS), LONG_INSPECTION, List.of(tlsChain("mtls", match(null, List.of(), "tls", List.of()), mtls)), null));

    try (SSLSocket socket = tls(address, "localhost", pki.client)) {
      assertThat(readLine(socket.getInputStream())).startsWith("chain=mtls tls=true");
      ConnectionContext context = reporter.contexts.poll(10, TimeUnit.SECONDS);
      assertThat(context).isNotNull();
    }
    // TLS 1.3 finishes the client's side before the server checks its (absent) certificate.
    assertThatThrownBy(
            () -> {
              try (SSLSocket socket = tls(address, "localhost", null)) {
                readLine(socket.getInputStream());
              }
            })
        .isInstanceOf(IOException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> handshakes.contains(false));
    assertThat(reporter.contexts).isEmpty();
  }

  @Test
  void clientCertificateFromAnotherCaIsRejected() throws Exception {
    DownstreamTlsConfig mtls = new DownstreamTlsConfig(pki.server, Optional.of(pki.otherCaPem), true, List.of());
    InetSocketAddress address =
        start(listener(0, List.of(Inspector.TLS), LONG_INSPECTION, List.of(tlsChain("mtls", match(null, List.of(), "tls", List.of()), mtls)), null));

    assertThatThrownBy(
            () -> {
              try (SSLSocket socket = tls(address, "localhost", pki.client)) {
                readLine(socket.getInputStream());
              }
            })
        .isInstanceOf(IOException.class);
    assertThat(reporter.contexts).isEmpty();
  }

  @Test
  void opensslClientReachesTheChainForItsServerNameAndAlpn() throws Exception {
    DownstreamTlsConfig tlsConfig = serverTls(List.of("h2", "http/1.1"));
    InetSocketAddress address =
        start(
            listener(
                0,
                BOTH,
                LONG_INSPECTION,
                List.of(
                    tlsChain("api", match(null, List.of("api.example.com"), null, List.of()), tlsConfig),
                    tlsChain("other", match(null, List.of(), null, List.of()), tlsConfig)),
                null));

    Process client =
        new ProcessBuilder(
                "openssl", "s_client", "-connect", "127.0.0.1:" + address.getPort(),
                "-servername", "api.example.com", "-alpn", "h2", "-CAfile", pki.file("ca.crt").toString(),
                "-verify_return_error", "-quiet", "-ign_eof")
            .redirectErrorStream(true)
            .start();
    try {
      client.getOutputStream().close();
      String line;
      do {
        line = readLine(client.getInputStream());
      } while (!line.startsWith("chain="));
      assertThat(line).isEqualTo("chain=api tls=true sni=api.example.com alpn=h2");
    } finally {
      client.destroy();
      client.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
