package dev.outrigger.controlplane.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.controlplane.ca.MutableClock;
import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.spiffeid.SpiffeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinTokensTest {
  static final SpiffeId CART = SpiffeId.parse("spiffe://example.org/ns/shop/sa/cart");

  @TempDir Path stateDir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  JoinTokens tokens;

  @BeforeEach
  void open() throws Exception {
    tokens = new JoinTokens(StateDir.open(stateDir), clock);
  }

  @Test
  void aTokenAuthenticatesAsTheOneIdItGrants() throws Exception {
    JoinTokens.Created created = tokens.create(CART, Duration.ofHours(1));
    Grant grant = tokens.authenticate(created.token());
    assertThat(grant.spiffeId()).isEqualTo(CART);
    assertThat(grant.tokenId()).isEqualTo(created.grant().tokenId());
    assertThat(created.token()).startsWith(grant.tokenId() + ".");
    assertThat(created.toString()).doesNotContain(created.token());
  }

  @Test
  void onlyTheHashIsStoredOwnerOnly() throws Exception {
    JoinTokens.Created created = tokens.create(CART, Duration.ofHours(1));
    String secret = created.token().substring(created.token().indexOf('.') + 1);
    Path file = stateDir.resolve(JoinTokens.FILE);
    assertThat(Files.readString(file)).contains(created.grant().tokenId()).doesNotContain(secret);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void expiredUnknownWrongAndMissingTokensDoNotAuthenticate() throws Exception {
    String token = tokens.create(CART, Duration.ofHours(1)).token();
    String id = token.substring(0, token.indexOf('.'));

    assertThatThrownBy(() -> tokens.authenticate(id + ".wrong-secret"))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("unknown join token " + id);
    assertThatThrownBy(() -> tokens.authenticate("0123456789abcdef.secret"))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("unknown join token");
    assertThatThrownBy(() -> tokens.authenticate("no-dot"))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("malformed");
    assertThatThrownBy(() -> tokens.authenticate(null))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("no credential");

    clock.advance(Duration.ofHours(1));
    assertThatThrownBy(() -> tokens.authenticate(token))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("expired")
        .extracting(e -> ((AuthenticationException) e).tokenId()).isEqualTo(id);
  }

  @Test
  void creatingATokenDropsExpiredOnes() throws Exception {
    String old = tokens.create(CART, Duration.ofMinutes(5)).grant().tokenId();
    clock.advance(Duration.ofMinutes(5));
    tokens.create(CART, Duration.ofHours(1));
    assertThat(Files.readString(stateDir.resolve(JoinTokens.FILE))).doesNotContain(old);
  }
}
