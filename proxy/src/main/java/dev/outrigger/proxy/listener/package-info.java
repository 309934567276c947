/**
 * Accepting connections. Per accepted channel (auto-read off), in order:
 *
 * <ol>
 *   <li>{@code ProtocolInspector} peeks at the first bytes (tls_inspector, http_inspector) within
 *       a byte bound and the listener's inspection timeout;
 *   <li>{@code FilterChainSelector} picks the filter chain by Envoy's rules, else the default
 *       chain, else the connection is closed and {@link
 *       dev.outrigger.proxy.listener.ListenerObserver#noFilterChainMatched} told;
 *   <li>{@code ChainLauncher} adds the chain's {@code SslHandler} (its context built once per chain
 *       at bind) and, after the handshake, fills the {@code ConnectionContext} and calls the
 *       {@code NetworkFilterInstaller};
 *   <li>the peeked bytes are replayed into the new pipeline, untouched.
 * </ol>
 */
package dev.outrigger.proxy.listener;
