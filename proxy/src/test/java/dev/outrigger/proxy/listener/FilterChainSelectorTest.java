package dev.outrigger.proxy.listener;

import static dev.outrigger.proxy.listener.Chains.chain;
import static dev.outrigger.proxy.listener.Chains.match;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.FilterChainConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FilterChainSelectorTest {

  private static String select(List<FilterChainConfig> chains, FilterChainConfig defaultChain, int port, Detected detected) {
    FilterChainSelector selector =
        new FilterChainSelector(
            chains.stream().map(c -> new PreparedChain(c, null, null)).toList(),
            defaultChain == null ? null : new PreparedChain(defaultChain, null, null));
    PreparedChain chosen = selector.select(port, detected);
    return chosen == null ? null : chosen.config().name();
  }

  private static Detected tls(String sni, String... alpn) {
    return new Detected(Detected.TLS, Optional.ofNullable(sni), Arrays.asList(alpn));
  }

  @Test
  void exactServerNameBeatsWildcardsAndLongerWildcardBeatsShorter() {
    List<FilterChainConfig> chains =
        List.of(
            chain("any", match(null, List.of(), null, List.of())),
            chain("com", match(null, List.of("*.com"), null, List.of())),
            chain("example", match(null, List.of("*.example.com"), null, List.of())),
            chain("exact", match(null, List.of("api.example.com"), null, List.of())));

    assertThat(select(chains, null, 443, tls("api.example.com"))).isEqualTo("exact");
    assertThat(select(chains, null, 443, tls("web.example.com"))).isEqualTo("example");
    assertThat(select(chains, null, 443, tls("a.b.example.com"))).isEqualTo("example");
    assertThat(select(chains, null, 443, tls("other.com"))).isEqualTo("com");
    assertThat(select(chains, null, 443, tls("example.org"))).isEqualTo("any");
    assertThat(select(chains, null, 443, tls(null))).isEqualTo("any");
  }

  @Test
  void destinationPortIsDecidedFirstAndNeverBacktracked() {
    List<FilterChainConfig> chains =
        List.of(
            chain("port-only", match(8443, List.of(), "raw_buffer", List.of())),
            chain("sni-any-port", match(null, List.of("api.example.com"), null, List.of())));

    // The port chain is more specific at the first step, then fails transport: no fallback.
    assertThat(select(chains, null, 8443, tls("api.example.com"))).isNull();
    assertThat(select(chains, chain("default", match(null, List.of(), null, List.of())), 8443, tls("api.example.com")))
        .isEqualTo("default");
    assertThat(select(chains, null, 9000, tls("api.example.com"))).isEqualTo("sni-any-port");
  }

  @Test
  void transportThenApplicationProtocolsInClientPreferenceOrder() {
    List<FilterChainConfig> chains =
        List.of(
            chain("raw", match(null, List.of(), "raw_buffer", List.of())),
            chain("tls-h1", match(null, List.of(), "tls", List.of("http/1.1"))),
            chain("tls-h2", match(null, List.of(), "tls", List.of("h2"))),
            chain("tls", match(null, List.of(), "tls", List.of())));

    assertThat(select(chains, null, 1, tls(null, "h2", "http/1.1"))).isEqualTo("tls-h2");
    assertThat(select(chains, null, 1, tls(null, "http/1.1", "h2"))).isEqualTo("tls-h1");
    assertThat(select(chains, null, 1, tls(null, "spdy/3"))).isEqualTo("tls");
    assertThat(select(chains, null, 1, Detected.NOTHING)).isEqualTo("raw");
  }

  @Test
  void noMatchFallsToDefaultChainElseNothing() {
    List<FilterChainConfig> chains = List.of(chain("h2c", match(null, List.of(), null, List.of("h2c"))));
    Detected http1 = new Detected(Detected.RAW_BUFFER, Optional.empty(), List.of("http/1.1"));

    assertThat(select(chains, null, 80, http1)).isNull();
    assertThat(select(chains, chain("fallback", match(null, List.of(), null, List.of())), 80, http1))
        .isEqualTo("fallback");
  }
}
