package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.ca.Authority;
import dev.outrigger.controlplane.ca.OperatorAuthority;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Option;

/** An operator's root (and optional intermediate) as PEM files, for first start and for rotation. */
final class AuthorityFiles {
  @Option(names = "--root-cert", paramLabel = "FILE",
      description = "Operator root certificate (PEM) for the trust bundle; without it the CA makes its own.")
  Path rootCert;

  @Option(names = "--intermediate-cert", paramLabel = "FILE",
      description = "Operator intermediate (PEM, signing certificate first) that signs leaves;"
          + " without it the root signs.")
  Path intermediateCert;

  @Option(names = "--signing-key", paramLabel = "FILE",
      description = "Private key (PEM, PKCS#8 or traditional) of the intermediate, or of the root"
          + " when there is no intermediate.")
  Path signingKey;

  boolean given() {
    return rootCert != null || intermediateCert != null || signingKey != null;
  }

  /** The checked authority, or an IllegalArgumentException naming what is missing or wrong. */
  Authority load(Instant now) {
    if (rootCert == null || signingKey == null) {
      throw new IllegalArgumentException("--root-cert and --signing-key go together"
          + " (plus --intermediate-cert when an intermediate signs)");
    }
    try {
      return OperatorAuthority.load(rootCert, intermediateCert, signingKey, now);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
