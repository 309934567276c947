package dev.outrigger.proxy.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, minus its leniency towards Transfer-Encoding with Content-Length (it
 * drops the Content-Length; a proxy must reject the request, RFC 9112 6.1, or it can be smuggled).
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

  StrictRequestDecoder(int maxHeaderBytes) {
    super(new HttpDecoderConfig().setMaxHeaderSize(maxHeaderBytes).setStrictLineParsing(true));
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    message.setDecoderResult(
        DecoderResult.failure(new IllegalArgumentException("Transfer-Encoding together with Content-Length")));
  }
}
