package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backoff's timing, with the random draw injected: no clock, no sleeping. */
class JitteredBackoffTest {

  @Test
  void theCeilingGrowsAsEnvoysAndIsCappedByTheMaxInterval() {
    List<Long> bounds = new ArrayList<>();
    JitteredBackoff backoff = new JitteredBackoff(Duration.ofMillis(25), Duration.ofMillis(250), bound -> {
      bounds.add(bound);
      return bound - 1;
    });

    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      waits.add(backoff.next());
    }

    assertThat(bounds).containsExactly(25L, 75L, 175L, 375L, 375L, 375L);
    assertThat(waits).containsExactly(Duration.ofMillis(24), Duration.ofMillis(74), Duration.ofMillis(174),
        Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(250));
  }

  @Test
  void aDrawOfZeroRetriesAtOnce() {
    JitteredBackoff backoff = new JitteredBackoff(Duration.ofMillis(25), Duration.ofMillis(250), bound -> 0);

    assertThat(backoff.next()).isZero();
  }
}
