package dev.outrigger.controlplane.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** The admin port's flags of {@code outrigger control-plane}. */
final class AdminOptions {
  @Option(names = "--admin-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address of the admin HTTP server: the admin API as JSON, /healthz, /metrics"
          + " (default: ${DEFAULT-VALUE}). Whatever the address, apply and delete are accepted only"
          + " from loopback callers.")
  private String address;

  @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "15014",
      description = "Port of the admin HTTP server (default: ${DEFAULT-VALUE}; 0: any free port).")
  private int port;

  InetSocketAddress address() throws IOException {
    return new InetSocketAddress(InetAddress.getByName(address), port);
  }

  /** The start-up line: where the admin API is and whether it can change the model. */
  String describe(InetSocketAddress bound, boolean writable) {
    return "admin API on " + bound.getAddress().getHostAddress() + ":" + bound.getPort()
        + " (HTTP: /v1 JSON, /healthz, /metrics) and over gRPC on both xDS ports; "
        + (writable ? "apply and delete from loopback callers, into the config directory's applied/"
            : "read-only (no --config-dir)");
  }
}
