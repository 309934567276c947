package dev.outrigger.proxy.http;

import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The receive windows of every HTTP/2 connection the proxy makes or accepts. HTTP/2's default, 64 KiB
 * for each stream and 64 KiB for the whole connection, lets one connection carry 64 KiB per round
 * trip: between two sidecars, which share one connection for every request, it was the throughput
 * limit (and a 64 KiB response waited a round trip for its last byte). The windows are large enough
 * to read at loopback speed and small enough that what a slow reader can leave buffered in the proxy
 * stays bounded: 1 MiB per stream, gRPC-Java's default. Netty's codec widens the connection window
 * with the stream window, to twice its increase over the default: about 2 MiB. Envoy's defaults are
 * 256 MiB for both (docs/envoy-subset.md).
 */
final class FlowControlWindows {
  static final int STREAM_WINDOW = 1 << 20;
  /** What Netty's codec makes of the connection window, given {@link #STREAM_WINDOW}. */
  static final int CONNECTION_WINDOW = Http2CodecUtil.DEFAULT_WINDOW_SIZE + 2 * (STREAM_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);

  private FlowControlWindows() {}

  /** {@code settings} with the stream window: the initial window of every stream the peer sends on. */
  static Http2Settings withStreamWindow(Http2Settings settings) {
    return settings.initialWindowSize(STREAM_WINDOW);
  }
}
