package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.HttpConnectionManagerConfig.CodecType;
import java.util.Optional;

/** Which downstream codec a connection gets: fixed by config or ALPN, else detected from the preface. */
enum DownstreamCodec {
  HTTP1,
  HTTP2,
  DETECT;

  static DownstreamCodec choose(CodecType configured, Optional<String> applicationProtocol) {
    if (configured == CodecType.HTTP1) {
      return HTTP1;
    }
    if (configured == CodecType.HTTP2) {
      return HTTP2;
    }
    if (applicationProtocol.isEmpty()) {
      return DETECT;
    }
    String protocol = applicationProtocol.get();
    return protocol.equals("h2") || protocol.equals("h2c") ? HTTP2 : HTTP1;
  }
}
