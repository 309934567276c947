package dev.outrigger.proxy.lifecycle;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * How a connection finishes gracefully when the proxy drains: the HTTP connection manager sends
 * GOAWAY (HTTP/2) or {@code Connection: close} on its next response (HTTP/1.1) and closes once
 * idle. A connection without one (a TCP proxy connection) is left alone until the drain deadline,
 * as Envoy does.
 */
@FunctionalInterface
public interface Drainable {

  /** Called once, on the connection's event loop, when draining starts. */
  void startDrain();

  /** Makes {@code drainable} what draining means for {@code downstream}; call while installing. */
  static void register(Channel downstream, Drainable drainable) {
    downstream.attr(Key.DRAINABLE).set(drainable);
  }

  /** Holds the attribute key; package-private so that only the tracker reads it. */
  final class Key {
    static final AttributeKey<Drainable> DRAINABLE = AttributeKey.valueOf(Drainable.class, "drainable");

    private Key() {}
  }
}
