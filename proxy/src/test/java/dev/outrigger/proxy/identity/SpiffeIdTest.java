package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTest {
  @ParameterizedTest
  @ValueSource(strings = {
    "spiffe://example.org/ns/shop/sa/cart", "spiffe://example.org", "spiffe://a-b_c.0/x/Y.z-_"})
  void valid(String id) {
    assertThat(SpiffeId.parse(id)).map(SpiffeId::toString).contains(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "https://example.org/x", "SPIFFE://example.org/x", "spiffe://", "spiffe:///x", "spiffe://Example.org/x",
    "spiffe://example.org/", "spiffe://example.org//x", "spiffe://example.org/./x", "spiffe://example.org/../x",
    "spiffe://example.org:8443/x", "spiffe://user@example.org/x", "spiffe://example.org/x?q=1",
    "spiffe://example.org/x#f", "spiffe://example.org/x%20y"})
  void invalid(String id) {
    assertThat(SpiffeId.parse(id)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void splitsTrustDomainAndPath() {
    assertThat(SpiffeId.parse("spiffe://example.org/ns/shop/sa/cart"))
        .contains(new SpiffeId("example.org", "/ns/shop/sa/cart"));
  }
}
