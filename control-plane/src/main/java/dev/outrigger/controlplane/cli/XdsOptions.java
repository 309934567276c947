package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.translate.MeshXds;
import dev.outrigger.controlplane.xds.Resources;
import dev.outrigger.controlplane.xds.StaticResourcesFile;
import dev.outrigger.controlplane.xds.XdsEventListener;
import dev.outrigger.controlplane.xds.XdsServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The xDS server's flags of {@code outrigger control-plane}. */
final class XdsOptions {
  @Option(names = "--xds-port", paramLabel = "PORT", defaultValue = "15010",
      description = "Port of the plaintext ADS server, for local development (default: ${DEFAULT-VALUE};"
          + " 0: any free port). ADS is also served with TLS on the CA port.")
  private int port;

  @Option(names = "--xds-listen-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address of the plaintext ADS server (default: ${DEFAULT-VALUE}: loopback only,"
          + " as nothing authenticates the control plane there).")
  private String listenAddress;

  @Option(names = "--xds-static", paramLabel = "FILE",
      description = "Development aid: serve the resources in FILE (YAML or JSON, `resources:` entries"
          + " with an @type, as Envoy's file subscriptions) to every proxy. See docs/control-plane.md.")
  private Path staticFile;

  @Option(names = "--xds-debounce", paramLabel = "DURATION", defaultValue = "100ms",
      converter = DurationConverter.class,
      description = "Push once the resources have been quiet this long (default: ${DEFAULT-VALUE}).")
  private Duration debounceQuiet;

  @Option(names = "--xds-debounce-max", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Push at the latest this long after the first change, however busy"
          + " (default: ${DEFAULT-VALUE}).")
  private Duration debounceMax;

  InetSocketAddress address() throws IOException {
    return new InetSocketAddress(InetAddress.getByName(listenAddress), port);
  }

  /**
   * The xDS server; with {@code --xds-static}, every node gets the file's resources, else with a
   * mesh (from {@code --config-dir}) every node gets its translation of the mesh. {@code events}
   * hears what happens on the streams.
   */
  XdsServer build(MeterRegistry registry, MeshXds mesh, XdsEventListener events) throws IOException {
    if (debounceMax.compareTo(debounceQuiet) < 0) {
      throw new IllegalArgumentException("--xds-debounce-max " + debounceMax + " is shorter than --xds-debounce "
          + debounceQuiet);
    }
    XdsServer.Builder builder = XdsServer.builder(registry).debounce(debounceQuiet, debounceMax).events(events);
    if (staticFile != null) {
      Resources fixed = StaticResourcesFile.load(staticFile);
      return builder.resolver(node -> fixed).build();
    }
    if (mesh == null) {
      return builder.build();
    }
    XdsServer server = builder.resolver(mesh).events(mesh.andThen(events)).build();
    mesh.serveTo(server.cache());
    return server;
  }

  /** True when the mesh model decides what proxies get (no --xds-static file). */
  boolean servesMesh() {
    return staticFile == null;
  }

  /** What the start-up message says about the resources served. */
  String servedResources() {
    return staticFile == null ? "resources translated from the mesh model (--config-dir), if given"
        : "static resources from " + staticFile;
  }
}
