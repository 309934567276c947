package dev.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * Codec AUTO without ALPN: waits for enough bytes to tell the HTTP/2 connection preface from an
 * HTTP/1 request line, installs the matching codec and steps aside (its buffered bytes go on to the
 * new codec when it is removed).
 */
final class PrefaceDetector extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
  private final ConnectionScope scope;

  PrefaceDetector(ConnectionScope scope) {
    this.scope = scope;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int seen = Math.min(in.readableBytes(), PREFACE.readableBytes());
    boolean prefaceSoFar = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, seen);
    if (prefaceSoFar && seen < PREFACE.readableBytes()) {
      return;
    }
    if (prefaceSoFar) {
      Http2Downstream.install(ctx.channel(), scope);
    } else {
      Http1Downstream.install(ctx.channel(), scope);
    }
    ctx.pipeline().remove(this);
  }
}
