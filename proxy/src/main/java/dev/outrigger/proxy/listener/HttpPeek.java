package dev.outrigger.proxy.listener;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The http_inspector's reading of the first bytes: the HTTP/2 prior-knowledge preface gives
 * {@code h2c}, an HTTP/1.x request line gives {@code http/1.1} or {@code http/1.0} (Envoy's values),
 * anything else gives nothing. Reads the buffer without moving its indices.
 */
record HttpPeek(boolean needMore, Optional<String> protocol) {
  static final String H2C = "h2c";
  static final String HTTP_1_1 = "http/1.1";
  static final String HTTP_1_0 = "http/1.0";

  /** The bytes so far are a valid beginning: more could still make them HTTP. */
  static final HttpPeek NEED_MORE = new HttpPeek(true, Optional.empty());
  static final HttpPeek NOT_HTTP = new HttpPeek(false, Optional.empty());

  private static final byte[] H2_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERSION_PREFIX = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

  /** Undecided bytes count as not HTTP once {@code maxBytes} of them have been seen. */
  static HttpPeek of(ByteBuf in, int maxBytes) {
    HttpPeek result = prefaceOrRequestLine(in);
    return result.needMore() && in.readableBytes() >= maxBytes ? NOT_HTTP : result;
  }

  private static HttpPeek detected(String protocol) {
    return new HttpPeek(false, Optional.of(protocol));
  }

  private static HttpPeek prefaceOrRequestLine(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int compared = Math.min(end - start, H2_PREFACE.length);
    boolean prefaceSoFar = true;
    for (int i = 0; i < compared && prefaceSoFar; i++) {
      prefaceSoFar = in.getByte(start + i) == H2_PREFACE[i];
    }
    if (prefaceSoFar) {
      return compared == H2_PREFACE.length ? detected(H2C) : NEED_MORE;
    }
    return requestLine(in, start, end);
  }

  /** {@code method SP request-target SP HTTP/1.<digit>}; the rest of the line is not needed. */
  private static HttpPeek requestLine(ByteBuf in, int start, int end) {
    int i = start;
    while (i < end && isTokenChar(in.getByte(i))) {
      i++;
    }
    if (i == end) {
      return NEED_MORE;
    }
    if (i == start || in.getByte(i) != ' ') {
      return NOT_HTTP;
    }
    int target = ++i;
    while (i < end && in.getByte(i) > ' ' && in.getByte(i) != 0x7f) {
      i++;
    }
    if (i == end) {
      return NEED_MORE;
    }
    if (i == target || in.getByte(i) != ' ') {
      return NOT_HTTP;
    }
    i++;
    for (byte expected : VERSION_PREFIX) {
      if (i == end) {
        return NEED_MORE;
      }
      if (in.getByte(i++) != expected) {
        return NOT_HTTP;
      }
    }
    if (i == end) {
      return NEED_MORE;
    }
    byte minor = in.getByte(i);
    return minor == '1' ? detected(HTTP_1_1) : minor == '0' ? detected(HTTP_1_0) : NOT_HTTP;
  }

  private static boolean isTokenChar(byte b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }
}
