package dev.outrigger.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The client side of one exchange, as the exchange sees it: an HTTP/1.1 connection serving one
 * request at a time, or one HTTP/2 stream.
 */
interface Downstream {

  Channel channel();

  /** {@code HTTP/1.1} or {@code HTTP/2}, as Envoy prints %PROTOCOL%. */
  String protocol();

  boolean isHttp2();

  /** Delivers the next request object when there is one; the exchange asks only when it can pass it on. */
  void requestMore();

  boolean isWritable();

  /**
   * Adds what this protocol needs to frame the response (length or chunking, connection close).
   * {@code abandonsRequest}: the rest of the request will not be read, so an HTTP/1.1 connection
   * cannot serve another one.
   */
  void prepareResponse(HttpResponse response, boolean bodyAllowed, boolean abandonsRequest);

  ChannelFuture writeAndFlush(HttpObject message);

  /**
   * The exchange is over; {@code last} completes when its final write does. {@code reusable} is
   * false when the request was not read to its end (HTTP/1.1 must close then).
   */
  void exchangeEnded(ChannelFuture last, boolean reusable);

  /**
   * Leaves HTTP for an accepted upgrade: {@code relay} takes the place of the HTTP handlers and gets
   * the bytes that follow. Only HTTP/1.1 can.
   */
  void switchToTunnel(ChannelHandler relay);

  /** Aborts the exchange after a response had started: closes an HTTP/1.1 connection, resets an HTTP/2 stream. */
  void reset();
}
