package dev.outrigger.proxy.cli;

import dev.outrigger.proxy.identity.CaIdentitySource;
import dev.outrigger.proxy.identity.IdentitySource;
import dev.outrigger.proxy.identity.PemFileIdentitySource;
import dev.outrigger.proxy.identity.WorkloadApiIdentitySource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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

  @Option(names = "--ca-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:15012",
      description = "ca: the control plane's certificate service (default: ${DEFAULT-VALUE}).")
  private String caAddress;

  @Option(names = "--ca-bundle", paramLabel = "FILE",
      description = "ca: the roots the control plane's certificate is checked against (its bundle.pem).")
  private Path caBundle;

  @Option(names = "--join-token-file", paramLabel = "FILE",
      description = "ca: the join token from `outrigger ctl token create`, re-read at each renewal.")
  private Path tokenFile;

  @Option(names = "--spiffe-id", paramLabel = "ID",
      description = "ca: the SPIFFE ID to ask for, e.g. spiffe://cluster.local/ns/shop/sa/cart.")
  private String spiffeId;

  private Duration requestedTtl = Duration.ZERO;

  @Option(names = "--certificate-ttl", paramLabel = "DURATION",
      description = "ca: the certificate lifetime to ask for (default: the CA's).")
  void requestedTtl(String value) {
    requestedTtl = DurationOption.parse(value, "--certificate-ttl", spec);
  }

  /**
   * Set by picocli from the option or its default. No initializer reading {@link
   * PemFileIdentitySource}: loading that class verifies the signed BouncyCastle jars it links,
   * about a second of start-up for every proxy, also one that uses no PEM files.
   */
  private Duration pollInterval;

  @Option(names = "--identity-poll-interval", paramLabel = "DURATION", defaultValue = "2s",
      description = "pem: how often the files are checked for changes (default: ${DEFAULT-VALUE}).")
  void pollInterval(String value) {
    pollInterval = DurationOption.parse(value, "--identity-poll-interval", spec);
  }

  /** The source the options name, not yet started; checks that its options are complete. */
  Optional<IdentitySource.Factory> source(Map<String, String> environment) {
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
        PemFileIdentitySource files = PemFileIdentitySource.watching(certificate, key, bundle, pollInterval);
        return Optional.of(registry -> files);
      case "ca":
        if (caBundle == null || tokenFile == null || spiffeId == null) {
          throw usage("--identity ca needs --ca-bundle, --join-token-file and --spiffe-id");
        }
        CaIdentitySource.Settings settings = settings(
            () -> new CaIdentitySource.Settings(caAddress, caBundle, tokenFile, spiffeId, requestedTtl));
        return Optional.of(registry -> new CaIdentitySource(settings, registry));
      case "workload-api":
        String endpoint = environment.get(SPIFFE_ENDPOINT_SOCKET);
        if (endpoint == null || endpoint.isBlank()) {
          throw usage("--identity workload-api needs $" + SPIFFE_ENDPOINT_SOCKET);
        }
        return Optional.of(registry -> new WorkloadApiIdentitySource(endpoint, registry));
      default:
        throw usage("--identity must be pem, ca or workload-api, got " + chosen);
    }
  }

  /** Settings checked now, so that a bad SPIFFE ID or address is a usage error, not a failed start. */
  private <T> T settings(Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException bad) {
      throw usage(bad.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
