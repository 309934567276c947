package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {
  private static final Instant ISSUED = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Duration LIFETIME = Duration.ofHours(24);

  private static X509Certificate leaf() throws Exception {
    TestSigner signer = new TestSigner("root", ISSUED);
    return signer.issueSvid(TestSigner.newKey().getPublic(), "spiffe://mesh.test/ns/a/sa/b", ISSUED, LIFETIME);
  }

  @Test
  void renewsBetweenHalfAndSixtyPercentOfTheLifetime() throws Exception {
    X509Certificate leaf = leaf();
    assertThat(new RenewalPolicy(() -> 0).afterIssue(leaf, ISSUED)).isEqualTo(Duration.ofHours(12));
    assertThat(new RenewalPolicy(() -> 0.999_999).afterIssue(leaf, ISSUED))
        .isBetween(Duration.ofMinutes(864).minusSeconds(1), Duration.ofMinutes(864));
  }

  @Test
  void countsTheLifetimeFromArrivalAndNeverIntoThePast() throws Exception {
    X509Certificate leaf = leaf();
    RenewalPolicy policy = new RenewalPolicy(() -> 0);
    // Arriving 2 h after its notBefore (a CA backdates for clock skew): half of the 22 h left.
    assertThat(policy.afterIssue(leaf, ISSUED.plus(Duration.ofHours(2)))).isEqualTo(Duration.ofHours(11));
    assertThat(policy.afterIssue(leaf, ISSUED.plus(Duration.ofHours(25)))).isZero();
  }

  @Test
  void backoffDoublesFromOneSecondUpToTwoMinutesWithHalfOfEachDelayRandom() {
    RenewalPolicy lowest = new RenewalPolicy(() -> 0);
    RenewalPolicy highest = new RenewalPolicy(() -> 0.999_999);
    assertThat(lowest.afterFailure(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(highest.afterFailure(1)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
    assertThat(lowest.afterFailure(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(lowest.afterFailure(8)).isEqualTo(Duration.ofSeconds(60));
    assertThat(highest.afterFailure(8)).isBetween(Duration.ofSeconds(119), Duration.ofMinutes(2));
    assertThat(highest.afterFailure(1_000)).isBetween(Duration.ofSeconds(119), Duration.ofMinutes(2));
  }
}
