package dev.outrigger.proxy.runtime;

import io.netty.channel.Channel;

/**
 * Installs the terminal network filter of a chosen filter chain into an accepted channel's pipeline
 * and starts it. Called on the channel's event loop, after any TLS handler.
 */
@FunctionalInterface
public interface NetworkFilterInstaller {
  void install(Channel downstream, ConnectionContext context);
}
