package dev.outrigger.proxy.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Envoy's {@code filter_chain_match}, the supported subset. An empty criterion matches anything.
 * Envoy's selection order applies: destination port, then server name (exact before wildcard),
 * then transport protocol, then application protocols; the most specific chain wins.
 *
 * @param serverNames exact names or {@code *.suffix} wildcards, lower case
 * @param transportProtocol {@code "tls"} or {@code "raw_buffer"}
 * @param applicationProtocols ALPN values from TLS, or {@code http/1.1} / {@code h2c} from the
 *     HTTP inspector
 */
public record FilterChainMatch(
    OptionalInt destinationPort,
    List<String> serverNames,
    Optional<String> transportProtocol,
    List<String> applicationProtocols) {

  public static final FilterChainMatch ANY =
      new FilterChainMatch(OptionalInt.empty(), List.of(), Optional.empty(), List.of());

  public FilterChainMatch {
    serverNames = List.copyOf(serverNames);
    applicationProtocols = List.copyOf(applicationProtocols);
  }
}
