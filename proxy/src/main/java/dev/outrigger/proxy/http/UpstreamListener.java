package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpObject;

/** What an upstream stream tells its exchange. All calls arrive on the exchange's event loop. */
interface UpstreamListener {

  void onUpstreamReady(UpstreamStream stream);

  void onUpstreamConnectFailed(Throwable cause);

  /** A response object; the listener owns it. */
  void onUpstreamMessage(HttpObject message);

  void onUpstreamWritable();

  /** The upstream went away before the stream was released: closed, or reset when {@code reset}. */
  void onUpstreamGone(boolean reset);
}
