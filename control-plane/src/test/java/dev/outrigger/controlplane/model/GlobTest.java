package dev.outrigger.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
  @Test
  void starsMatchAnyRunAndEverythingElseIsLiteral() {
    assertThat(Glob.matches("spiffe://td/ns/shop/*", "spiffe://td/ns/shop/sa/cart")).isTrue();
    assertThat(Glob.matches("spiffe://td/ns/shop/*", "spiffe://tdX/ns/shop/sa/cart")).isFalse();
    assertThat(Glob.matches("spiffe://t.d/*", "spiffe://tXd/ns/a/sa/b")).isFalse();
    assertThat(Glob.matches("*/sa/cart", "spiffe://td/ns/shop/sa/cart")).isTrue();
    assertThat(Glob.matches("/a*b*", "/a/x/b/y")).isTrue();
    assertThat(Glob.matches("/(a)+", "/aa")).isFalse();
    assertThat(Glob.matches("/(a)+", "/(a)+")).isTrue();
    assertThat(Glob.regex("/api/*")).isEqualTo("\\Q/api/\\E.*");
  }
}
