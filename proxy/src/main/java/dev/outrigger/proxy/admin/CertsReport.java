package dev.outrigger.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.outrigger.proxy.identity.SpiffeId;
import dev.outrigger.proxy.identity.WorkloadIdentity;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /certs}: the workload certificate (SPIFFE ID, serial, validity) and the trust bundle's
 * roots (subject, serial, expiry, SHA-256 fingerprint), as JSON. Never key material.
 */
final class CertsReport {
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  String json(Optional<WorkloadIdentity> identity) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("loaded", identity.isPresent());
    identity.ifPresent(current -> {
      X509Certificate leaf = current.leaf();
      report.put("spiffe_id", SpiffeId.of(leaf).map(SpiffeId::toString).orElse(""));
      report.put("serial", serial(leaf));
      report.put("not_before", leaf.getNotBefore().toInstant().toString());
      report.put("not_after", leaf.getNotAfter().toInstant().toString());
      report.put("issuer", leaf.getIssuerX500Principal().getName());
      report.put("chain_length", current.certificateChain().size());
      report.put("bundle", current.trustBundle().stream().map(CertsReport::root).toList());
    });
    try {
      return mapper.writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> root(X509Certificate root) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("subject", root.getSubjectX500Principal().getName());
    entry.put("serial", serial(root));
    entry.put("not_after", root.getNotAfter().toInstant().toString());
    entry.put("sha256_fingerprint", fingerprint(root));
    return entry;
  }

  private static String serial(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }

  private static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
