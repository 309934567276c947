package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.ProxyConfig;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.util.Optional;

/**
 * A validated bootstrap: the config of its static part, and its ADS source when it has
 * {@code dynamic_resources}; then {@link #xdsTranslator()} turns what the stream delivers into
 * complete configs that include the static part.
 */
public final class LoadedBootstrap {
  private final ProxyConfig staticConfig;
  private final Bootstrap supported;
  private final Optional<AdsSource> ads;

  LoadedBootstrap(ProxyConfig staticConfig, Bootstrap supported, Optional<AdsSource> ads) {
    this.staticConfig = staticConfig;
    this.supported = supported;
    this.ads = ads;
  }

  /** The static listeners and clusters: the whole config when there is no ADS source. */
  public ProxyConfig staticConfig() {
    return staticConfig;
  }

  public Optional<AdsSource> ads() {
    return ads;
  }

  public XdsTranslator xdsTranslator() {
    return new XdsTranslator(supported, staticConfig);
  }
}
