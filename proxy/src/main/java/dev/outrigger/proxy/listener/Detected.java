package dev.outrigger.proxy.listener;

import java.util.List;
import java.util.Optional;

/**
 * What the listener filters learnt about a connection, the input of filter-chain selection.
 *
 * @param transportProtocol {@code tls} or {@code raw_buffer} (also when no TLS inspector ran)
 * @param applicationProtocols the ClientHello's ALPN offers, or the HTTP inspector's finding
 */
record Detected(
    String transportProtocol, Optional<String> serverName, List<String> applicationProtocols) {
  static final String TLS = "tls";
  static final String RAW_BUFFER = "raw_buffer";

  static final Detected NOTHING = new Detected(RAW_BUFFER, Optional.empty(), List.of());

  static Detected tls(TlsPeek hello) {
    return new Detected(TLS, hello.serverName(), hello.alpn());
  }

  static Detected raw(HttpPeek http) {
    return new Detected(RAW_BUFFER, Optional.empty(), http.protocol().map(List::of).orElse(List.of()));
  }
}
