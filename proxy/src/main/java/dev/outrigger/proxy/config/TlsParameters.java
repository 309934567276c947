package dev.outrigger.proxy.config;

import java.util.List;
import java.util.stream.Stream;

/**
 * The TLS versions and TLS 1.2 cipher suites of a context ({@code common_tls_context.tls_params}).
 * TLS 1.2 is the floor and 1.3 is preferred; TLS 1.3 suites are always the three AEAD ones (as in
 * Envoy and BoringSSL, they are not configurable).
 *
 * @param protocols JDK protocol names, most preferred first ({@code TLSv1.3}, {@code TLSv1.2})
 * @param cipherSuites IANA names, the TLS 1.3 suites first; only forward-secret AEAD suites
 */
public record TlsParameters(List<String> protocols, List<String> cipherSuites) {
  public static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  /** ECDHE with AES-GCM or ChaCha20-Poly1305, ECDSA before RSA: Envoy's default list minus CBC. */
  public static final List<String> MODERN_TLS12_SUITES =
      List.of(
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

  public static final TlsParameters DEFAULT =
      new TlsParameters(List.of("TLSv1.3", "TLSv1.2"), tls12After13(MODERN_TLS12_SUITES));

  public TlsParameters {
    protocols = List.copyOf(protocols);
    cipherSuites = List.copyOf(cipherSuites);
  }

  /** The TLS 1.3 suites followed by {@code tls12}, the order Netty hands them to the engine. */
  public static List<String> tls12After13(List<String> tls12) {
    return Stream.concat(TLS13_SUITES.stream(), tls12.stream()).toList();
  }
}
