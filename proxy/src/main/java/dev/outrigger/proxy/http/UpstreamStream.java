package dev.outrigger.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;

/**
 * One request's way to an upstream: a pooled HTTP/1.1 connection lent for one exchange, or one
 * stream of a shared HTTP/2 connection. Messages written are owned (released) by the stream.
 */
interface UpstreamStream {

  boolean isHttp2();

  /** The channel the stream writes to: an HTTP/1.1 connection or an HTTP/2 stream channel. */
  Channel channel();

  /**
   * Leaves HTTP for an accepted upgrade: the connection leaves the pool, {@code relay} takes the place
   * of the HTTP handlers and gets the bytes that follow. Only HTTP/1.1 can.
   */
  void switchToTunnel(ChannelHandler relay);

  /**
   * Adds what this protocol needs to frame the request; {@code bodyless} when the request has no
   * body at all.
   */
  void prepareRequest(HttpRequest request, boolean bodyless);

  default void writeAndFlush(HttpObject message) {
    channel().writeAndFlush(message, channel().voidPromise());
  }

  /** Reads more of the response; the exchange asks only when the downstream can take it. */
  default void read() {
    channel().read();
  }

  default boolean isWritable() {
    return channel().isWritable();
  }

  /**
   * Gives the stream back after the exchange. {@code reusable} when request and response both ended
   * cleanly and the upstream keeps the connection alive; otherwise the connection is closed (HTTP/1.1)
   * or the stream reset (HTTP/2).
   */
  void release(boolean reusable);
}
