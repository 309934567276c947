package dev.outrigger.proxy.demo;

import dev.outrigger.proxy.config.ProxyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo's bundled bootstrap (proxy/src/main/resources/demo/bootstrap.yaml), loaded through the
 * same loader as an operator's file, so the demo shows nothing the proxy could not do from a file.
 */
final class DemoBootstrap {
  static final String SOURCE = "proxy/src/main/resources/demo/bootstrap.yaml";
  private static final String RESOURCE = "/demo/bootstrap.yaml";

  private DemoBootstrap() {}

  static ProxyConfig load() throws Exception {
    Path file = Files.createTempFile("outrigger-demo-", ".yaml");
    try {
      copyResource(file);
      return loadFile(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void copyResource(Path file) throws IOException {
    try (InputStream in = DemoBootstrap.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the class path");
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  // MERGE: the bootstrap loader is built on another branch. Replace the throw with:
  //   return dev.outrigger.proxy.bootstrap.BootstrapLoader.load(file);
  private static ProxyConfig loadFile(Path file) {
    throw new UnsupportedOperationException(
        "the bootstrap loader is not on this branch yet; cannot load " + file);
  }
}
