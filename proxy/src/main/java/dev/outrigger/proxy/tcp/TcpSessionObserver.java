package dev.outrigger.proxy.tcp;

/**
 * Told about every TCP proxy session when its downstream connection closes: the seam for access
 * logs and metrics. Called on the connection's event loop; an implementation must not block.
 */
@FunctionalInterface
public interface TcpSessionObserver {
  TcpSessionObserver NONE = session -> {};

  void sessionEnded(TcpSession session);
}
