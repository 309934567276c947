/**
 * The proxy's xDS client: one ADS stream (state of the world or delta) to the control plane named
 * in the bootstrap's {@code dynamic_resources}, turning what it delivers into complete {@code
 * ProxyConfig}s through the bootstrap's own translators ({@code XdsTranslator}), ACKing or NACKing
 * each response, and reconnecting with backoff while the last config keeps serving.
 *
 * <p>{@link dev.outrigger.proxy.xds.XdsClient} is the entry; {@link dev.outrigger.proxy.xds.ConfigSink}
 * is where configs go (the proxy applies them); {@link dev.outrigger.proxy.xds.XdsStatus} is what
 * {@code /config_dump} shows.
 */
package dev.outrigger.proxy.xds;
