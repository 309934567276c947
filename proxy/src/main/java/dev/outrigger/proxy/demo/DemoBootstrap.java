package dev.outrigger.proxy.demo;

import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.config.ProxyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The demo's bundled bootstrap (proxy/src/main/resources/demo/bootstrap.yaml), loaded through the
 * same loader as an operator's file, so the demo shows nothing the proxy could not do from a file.
 */
final class DemoBootstrap {
  static final String SOURCE = "proxy/src/main/resources/demo/bootstrap.yaml";
  private static final String RESOURCE = "/demo/bootstrap.yaml";

  private DemoBootstrap() {}

  static ProxyConfig load() throws Exception {
    try (InputStream in = DemoBootstrap.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the class path");
      }
      return BootstrapLoader.loadYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
