package dev.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder without two leniencies a proxy cannot afford (RFC 9112), since they let a
 * request be read differently here and upstream: it drops Content-Length when Transfer-Encoding is
 * present, and it folds obsolete line folding ({@code obs-fold}) into the previous header. Both make
 * the request invalid here, which the exchange answers with 400.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
  private boolean readingHead = true;
  /** Bytes of the current head the decoder already consumed; it consumes whole lines only. */
  private long headBytesConsumed;
  private boolean rejected;

  StrictRequestDecoder(int maxHeaderBytes) {
    // Envoy counts the request line within its header limit; Netty's own line default is 4 KiB.
    super(
        new HttpDecoderConfig()
            .setMaxInitialLineLength(maxHeaderBytes)
            .setMaxHeaderSize(maxHeaderBytes)
            .setStrictLineParsing(true));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (rejected) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (readingHead && hasObsFold(in, headBytesConsumed > 0)) {
      rejected = true;
      in.skipBytes(in.readableBytes());
      out.add(invalid("obsolete line folding in a header"));
      return;
    }
    int before = in.readableBytes();
    int produced = out.size();
    super.decode(ctx, in, out);
    for (int i = produced; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof LastHttpContent) {
        readingHead = true;
        headBytesConsumed = 0;
      } else if (decoded instanceof HttpMessage) {
        readingHead = false;
      }
    }
    if (readingHead) {
      headBytesConsumed += before - in.readableBytes();
    }
  }

  /**
   * Scans the head (up to its blank line) for a line that starts with a space or a tab. {@code
   * atLineStart}: the first readable byte starts a line.
   */
  private static boolean hasObsFold(ByteBuf in, boolean atLineStart) {
    boolean lineStart = atLineStart;
    for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
      byte b = in.getByte(i);
      if (lineStart) {
        if (b == ' ' || b == '\t') {
          return true;
        }
        if (b == '\n' || (b == '\r' && i + 1 < in.writerIndex() && in.getByte(i + 1) == '\n')) {
          return false;
        }
      }
      lineStart = b == '\n';
    }
    return false;
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("Transfer-Encoding together with Content-Length")));
  }

  private HttpMessage invalid(String reason) {
    HttpMessage message = createInvalidMessage();
    message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(reason)));
    return message;
  }
}
