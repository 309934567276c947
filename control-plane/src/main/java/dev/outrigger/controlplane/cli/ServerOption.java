package dev.outrigger.controlplane.cli;

import picocli.CommandLine.Option;

/** {@code --server}: where ctl finds the control plane's admin API. */
final class ServerOption {
  static final String ENV = "OUTRIGGER_CONTROL_PLANE";

  @Option(names = "--server", paramLabel = "HOST:PORT",
      defaultValue = "${env:" + ENV + ":-127.0.0.1:15014}",
      description = "The control plane's admin HTTP address (default: $" + ENV
          + ", else 127.0.0.1:15014; now ${DEFAULT-VALUE}).")
  private String server;

  AdminClient client() {
    return new AdminClient(server);
  }
}
