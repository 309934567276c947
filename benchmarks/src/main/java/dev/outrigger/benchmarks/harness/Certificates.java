package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away CA and two leaf certificates (the outbound sidecar's client certificate and the
 * inbound sidecar's server certificate), made with the openssl command as PEM files. Each leaf
 * carries a SPIFFE ID, as the control plane's CA would issue, plus 127.0.0.1 and localhost.
 */
final class Certificates {
  /** PEM files of one identity; {@code bundle} is certificate then key, as HAProxy's crt wants. */
  record Identity(Path certificate, Path key, Path bundle) {}

  final Path caCertificate;
  final Identity outbound;
  final Identity inbound;

  private Certificates(Path caCertificate, Identity outbound, Identity inbound) {
    this.caCertificate = caCertificate;
    this.outbound = outbound;
    this.inbound = inbound;
  }

  static Certificates create(Path dir) throws IOException, InterruptedException {
    Path caKey = dir.resolve("ca.key");
    Path caCert = dir.resolve("ca.pem");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2",
        "-subj", "/O=outrigger-bench/CN=bench-ca");
    return new Certificates(caCert, leaf(dir, "outbound", caCert, caKey),
        leaf(dir, "inbound", caCert, caKey));
  }

  private static Identity leaf(Path dir, String name, Path caCert, Path caKey)
      throws IOException, InterruptedException {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".pem");
    Path extensions = dir.resolve(name + ".ext");
    Files.writeString(extensions, String.join("\n",
        "basicConstraints=CA:FALSE",
        "keyUsage=digitalSignature",
        "extendedKeyUsage=serverAuth,clientAuth",
        "subjectAltName=URI:spiffe://cluster.local/ns/bench/sa/" + name
            + ",DNS:localhost,IP:127.0.0.1",
        ""));
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/O=outrigger-bench/CN=" + name);
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey",
        caKey.toString(), "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(),
        "-out", cert.toString());
    Path bundle = dir.resolve(name + "-bundle.pem");
    Files.writeString(bundle, Files.readString(cert) + Files.readString(key));
    return new Identity(cert, key, bundle);
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    if (process.waitFor() != 0) {
      throw new IOException("openssl " + args[0] + " failed; see " + log);
    }
  }
}
