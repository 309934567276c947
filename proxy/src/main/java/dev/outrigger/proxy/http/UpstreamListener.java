package dev.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpObject;

/** What an upstream stream tells its exchange. All calls arrive on the exchange's event loop. */
interface UpstreamListener {

  void onUpstreamReady(UpstreamStream stream);

  void onUpstreamConnectFailed(Throwable cause);

  /** A response object; the listener owns it. */
  void onUpstreamMessage(HttpObject message);

  void onUpstreamWritable();

  /** The upstream went away before the stream was released. */
  void onUpstreamGone(UpstreamGone how);

  /** The pool could not queue the request: its cluster's {@code max_pending_requests} are taken. */
  void onPendingOverflow();

  /** How an upstream stream ended before its exchange let it go. */
  enum UpstreamGone {
    /** The connection closed. */
    CLOSED,
    /** The stream was reset. */
    RESET,
    /** The stream was reset with REFUSED_STREAM: the upstream did not process the request. */
    REFUSED
  }
}
