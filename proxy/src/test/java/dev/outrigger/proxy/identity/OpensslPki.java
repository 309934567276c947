package dev.outrigger.proxy.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made by the {@code openssl} command, not by our code: a root and SPIFFE leaves
 * ({@code <name>.crt}, PKCS#8 {@code <name>.key}, and SEC1 {@code <name>.sec1.key}).
 */
final class OpensslPki {
  final Path dir;

  OpensslPki(Path dir) throws Exception {
    this.dir = dir;
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key",
        "-out", "root.crt", "-subj", "/CN=openssl root", "-days", "2",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  }

  /** Issues {@code name}.crt with the one URI SAN {@code spiffeId}. */
  OpensslPki leaf(String name, String spiffeId) throws Exception {
    Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=URI:" + spiffeId + "\n"
        + "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        + "extendedKeyUsage=serverAuth,clientAuth\n");
    run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
        "-out", name + ".csr", "-subj", "/O=openssl " + name);
    run("x509", "-req", "-in", name + ".csr", "-CA", "root.crt", "-CAkey", "root.key", "-CAcreateserial",
        "-days", "1", "-out", name + ".crt", "-extfile", name + ".ext");
    run("ec", "-in", name + ".key", "-out", name + ".sec1.key");
    return this;
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  private void run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(command + " failed: " + Files.readString(dir.resolve("openssl.log")));
    }
  }
}
