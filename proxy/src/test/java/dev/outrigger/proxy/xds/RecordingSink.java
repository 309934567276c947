package dev.outrigger.proxy.xds;

import dev.outrigger.proxy.config.ProxyConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every config the client hands over, with its version. */
final class RecordingSink implements ConfigSink {
  record Applied(ProxyConfig config, String version) {}

  final List<Applied> applied = new CopyOnWriteArrayList<>();

  @Override
  public void apply(ProxyConfig config, String version) {
    applied.add(new Applied(config, version));
  }

  Applied last() {
    return applied.get(applied.size() - 1);
  }
}
