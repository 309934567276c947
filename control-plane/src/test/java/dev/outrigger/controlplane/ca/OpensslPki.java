package dev.outrigger.controlplane.ca;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An operator's PKI made with the openssl command: an EC root (key in the traditional
 * "EC PRIVATE KEY" format), an intermediate CA (PKCS#8 key), and a non-CA leaf.
 */
record OpensslPki(Path rootCert, Path rootKey, Path intermediateCert, Path intermediateKey,
    Path leafCert, Path leafKey) {

  static OpensslPki rootAndIntermediate(Path dir) throws Exception {
    Files.writeString(dir.resolve("ext.cnf"), String.join("\n",
        "[ca]",
        "basicConstraints = critical, CA:TRUE, pathlen:0",
        "keyUsage = critical, keyCertSign, cRLSign",
        "subjectKeyIdentifier = hash",
        "authorityKeyIdentifier = keyid",
        "[leaf]",
        "basicConstraints = critical, CA:FALSE",
        "keyUsage = critical, digitalSignature",
        "subjectKeyIdentifier = hash",
        "authorityKeyIdentifier = keyid",
        ""));
    Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "root.key");
    Openssl.run(dir, "req", "-x509", "-new", "-key", "root.key", "-subj", "/O=Ops/CN=Ops Root",
        "-days", "30", "-out", "root.pem",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    signed(dir, "intermediate", "/O=Ops/CN=Ops Intermediate", "ca");
    signed(dir, "leaf", "/O=Ops/CN=Not a CA", "leaf");
    return new OpensslPki(dir.resolve("root.pem"), dir.resolve("root.key"),
        dir.resolve("intermediate.pem"), dir.resolve("intermediate.key"),
        dir.resolve("leaf.pem"), dir.resolve("leaf.key"));
  }

  private static void signed(Path dir, String name, String subject, String extensions) throws Exception {
    Openssl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", name + ".key");
    Openssl.run(dir, "req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
    Openssl.run(dir, "x509", "-req", "-in", name + ".csr", "-CA", "root.pem", "-CAkey", "root.key",
        "-set_serial", String.valueOf(System.nanoTime()), "-days", "30", "-out", name + ".pem",
        "-extfile", "ext.cnf", "-extensions", extensions);
  }
}
