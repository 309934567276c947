package dev.outrigger.controlplane.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.spiffeid.SpiffeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Join tokens for standalone mode, kept in {@code tokens.json} of the state directory.
 *
 * <p>A token is {@code <id>.<secret>}: the id is public (audit lines name it), the secret is 256
 * random bits. Only SHA-256 of the secret is stored: the secret is random and long, so a plain
 * hash cannot be guessed back and a slow password hash would buy nothing. Each token grants one
 * SPIFFE ID until its expiry; it can be used many times (a proxy renews with it).
 */
public final class JoinTokens implements Authenticator {
  static final String FILE = "tokens.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final StateDir dir;
  private final Clock clock;

  public JoinTokens(StateDir dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /**
   * A token granting {@code spiffeId} for {@code ttl}.
   *
   * @return the token; this is the only time its secret exists outside the caller's hands
   */
  public Created create(SpiffeId spiffeId, Duration ttl) throws IOException {
    String id = HexFormat.of().formatHex(random(8));
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(ttl);
    dir.locked(() -> {
      ObjectNode file = load();
      ArrayNode tokens = file.withArray("tokens");
      // Expired tokens can never authenticate again: drop them while the file is being written.
      for (int i = tokens.size() - 1; i >= 0; i--) {
        if (!now.isBefore(Instant.parse(tokens.get(i).path("expiresAt").asText()))) {
          tokens.remove(i);
        }
      }
      tokens.addObject()
          .put("id", id)
          .put("sha256", hash(secret))
          .put("spiffeId", spiffeId.toString())
          .put("createdAt", now.toString())
          .put("expiresAt", expiresAt.toString());
      dir.writePrivate(FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file) + "\n");
      return null;
    });
    return new Created(id + "." + secret, new Grant(id, spiffeId, expiresAt));
  }

  /** The grant of a presented token, or why it does not authenticate. */
  @Override
  public Grant authenticate(String token) throws IOException, AuthenticationException {
    if (token == null || token.isEmpty()) {
      throw new AuthenticationException("no credential: send 'authorization: Bearer <join token>'", null);
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot == token.length() - 1) {
      throw new AuthenticationException("malformed join token", null);
    }
    String id = token.substring(0, dot);
    byte[] presented = hash(token.substring(dot + 1)).getBytes(StandardCharsets.US_ASCII);
    for (JsonNode entry : load().withArray("tokens")) {
      if (!entry.path("id").asText().equals(id)) {
        continue;
      }
      // Constant time, so the comparison does not leak how much of the hash matched.
      if (!MessageDigest.isEqual(presented, entry.path("sha256").asText().getBytes(StandardCharsets.US_ASCII))) {
        break;
      }
      Instant expiresAt = Instant.parse(entry.path("expiresAt").asText());
      if (!clock.instant().isBefore(expiresAt)) {
        throw new AuthenticationException("join token " + id + " expired at " + expiresAt, id);
      }
      return new Grant(id, SpiffeId.parse(entry.path("spiffeId").asText()), expiresAt);
    }
    throw new AuthenticationException("unknown join token " + id, id);
  }

  private ObjectNode load() throws IOException {
    if (!dir.exists(FILE)) {
      return JSON.createObjectNode();
    }
    return (ObjectNode) JSON.readTree(dir.read(FILE));
  }

  private static byte[] random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return value;
  }

  private static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** A new token and its grant. {@link #token()} is the secret: print it once, never log it. */
  public record Created(String token, Grant grant) {
    @Override
    public String toString() {
      return "Created[grant=" + grant + "]";
    }
  }
}
