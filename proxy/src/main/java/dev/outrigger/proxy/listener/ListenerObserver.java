package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.ListenerConfig;

/**
 * Connection-level events of a listener, for metrics. Called on the connection's event loop; an
 * implementation must not block.
 */
public interface ListenerObserver {
  ListenerObserver NONE = new ListenerObserver() {};

  /** A connection matched no filter chain and there was no default chain: it was closed. */
  default void noFilterChainMatched(ListenerConfig listener) {}

  /** A downstream TLS handshake ended; a failed one closes the connection. */
  default void tlsHandshakeCompleted(ListenerConfig listener, boolean success) {}
}
