package dev.outrigger.proxy.cli;

import dev.outrigger.proxy.identity.IdentitySource;
import dev.outrigger.proxy.identity.PemFileIdentitySource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the proxy's identity (SDS secrets {@code default} and {@code ROOTCA}) comes from: {@code
 * --identity pem|ca|workload-api}. Without the option: the Workload API when {@code
 * SPIFFE_ENDPOINT_SOCKET} is set, else none (a config that refers to the identity then fails).
 */
final class IdentityOptions {
  static final String SPIFFE_ENDPOINT_SOCKET = "SPIFFE_ENDPOINT_SOCKET";

  @Spec(Spec.Target.MIXEE) private CommandSpec spec;

  @Option(names = "--identity", paramLabel = "SOURCE",
      description = "Identity source: pem, ca or workload-api (default: workload-api when"
          + " $SPIFFE_ENDPOINT_SOCKET is set, else none).")
  private String kind;

  @Option(names = "--identity-cert", paramLabel = "FILE",
      description = "pem: certificate chain, leaf first (an X.509-SVID).")
  private Path certificate;

  @Option(names = "--identity-key", paramLabel = "FILE",
      description = "pem: the leaf's private key (PKCS#8, SEC1 or PKCS#1 PEM, unencrypted).")
  private Path key;

  @Option(names = "--identity-bundle", paramLabel = "FILE", description = "pem: the trust bundle's roots.")
  private Path bundle;

  private Duration pollInterval = PemFileIdentitySource.DEFAULT_POLL_INTERVAL;

  @Option(names = "--identity-poll-interval", paramLabel = "DURATION", defaultValue = "2s",
      description = "pem: how often the files are checked for changes (default: ${DEFAULT-VALUE}).")
  void pollInterval(String value) {
    pollInterval = DurationOption.parse(value, "--identity-poll-interval", spec);
  }

  /** The source the options name, not yet started; checks that its options are complete. */
  Optional<IdentitySource> source(Map<String, String> environment) {
    String chosen = kind != null ? kind
        : environment.containsKey(SPIFFE_ENDPOINT_SOCKET) ? "workload-api" : null;
    if (chosen == null) {
      if (certificate != null || key != null || bundle != null) {
        throw usage("--identity-cert/--identity-key/--identity-bundle need --identity pem");
      }
      return Optional.empty();
    }
    switch (chosen) {
      case "pem":
        if (certificate == null || key == null || bundle == null) {
          throw usage("--identity pem needs --identity-cert, --identity-key and --identity-bundle");
        }
        return Optional.of(PemFileIdentitySource.watching(certificate, key, bundle, pollInterval));
      case "ca":
      case "workload-api":
        // The switch point for the Outrigger CA client and the SPIFFE Workload API (issue 4).
        throw usage("--identity " + chosen + " is not available in this build");
      default:
        throw usage("--identity must be pem, ca or workload-api, got " + chosen);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
