package dev.outrigger.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** The inspectors' parsers on real bytes: a ClientHello made by the JDK's TLS engine. */
class PeekTest {

  private static byte[] clientHello(String sni, String... alpn) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, null, null);
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(sni)));
    parameters.setApplicationProtocols(alpn);
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  private static TlsPeek peekTls(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    int before = buf.readerIndex();
    TlsPeek peek = TlsPeek.of(buf);
    assertThat(buf.readerIndex()).isEqualTo(before);
    return peek;
  }

  @Test
  void readsSniAndAlpnFromClientHello() throws Exception {
    TlsPeek peek = peekTls(clientHello("API.example.com", "h2", "http/1.1"));

    assertThat(peek.status()).isEqualTo(TlsPeek.Status.TLS);
    assertThat(peek.serverName()).contains("api.example.com");
    assertThat(peek.alpn()).containsExactly("h2", "http/1.1");
  }

  @Test
  void needsMoreUntilTheWholeHelloArrivesAndReadsOneSplitAcrossRecords() throws Exception {
    byte[] hello = clientHello("split.example.com", "h2");
    for (int length : new int[] {1, 4, 5, 40, hello.length - 1}) {
      assertThat(peekTls(java.util.Arrays.copyOf(hello, length)).status()).isEqualTo(TlsPeek.Status.NEED_MORE);
    }

    // Re-frame the handshake message as two records.
    int messageLength = hello.length - 5;
    int firstPart = 20;
    ByteBuffer framed = ByteBuffer.allocate(hello.length + 5);
    framed.put(new byte[] {22, 3, 1}).putShort((short) firstPart).put(hello, 5, firstPart);
    framed.put(new byte[] {22, 3, 1}).putShort((short) (messageLength - firstPart)).put(hello, 5 + firstPart, messageLength - firstPart);
    TlsPeek peek = peekTls(framed.array());

    assertThat(peek.status()).isEqualTo(TlsPeek.Status.TLS);
    assertThat(peek.serverName()).contains("split.example.com");
    assertThat(peek.alpn()).containsExactly("h2");
  }

  @Test
  void plaintextIsNotTls() {
    assertThat(peekTls("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)).status())
        .isEqualTo(TlsPeek.Status.NOT_TLS);
  }

  private static HttpPeek peekHttp(String text) {
    ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    try {
      return HttpPeek.of(buf, 64);
    } finally {
      buf.release();
    }
  }

  @Test
  void detectsH2cPrefaceAndHttp1RequestLines() {
    assertThat(peekHttp("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").protocol()).contains("h2c");
    assertThat(peekHttp("PRI * HTTP/2.0\r\n").needMore()).isTrue();
    assertThat(peekHttp("GET /index.html HTTP/1.1\r\n").protocol()).contains("http/1.1");
    assertThat(peekHttp("OPTIONS * HTTP/1.0\r\n").protocol()).contains("http/1.0");
    assertThat(peekHttp("GET /index.ht").needMore()).isTrue();
    assertThat(peekHttp("GE").needMore()).isTrue();
  }

  @Test
  void rejectsOtherBytesAndGivesUpAtTheBound() {
    assertThat(peekHttp("hello world\n")).isEqualTo(HttpPeek.NOT_HTTP);
    assertThat(peekHttp("GET / HTTP/2.0\r\n")).isEqualTo(HttpPeek.NOT_HTTP);
    assertThat(peekHttp("\u0016\u0003\u0001")).isEqualTo(HttpPeek.NOT_HTTP);
    assertThat(peekHttp("GET /" + "a".repeat(100))).isEqualTo(HttpPeek.NOT_HTTP);
  }
}
