package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrpcTimeoutTest {

  @Test
  void parsesEveryUnit() {
    assertThat(GrpcTimeout.parse("2H")).hasValue(Duration.ofHours(2));
    assertThat(GrpcTimeout.parse("3M")).hasValue(Duration.ofMinutes(3));
    assertThat(GrpcTimeout.parse("4S")).hasValue(Duration.ofSeconds(4));
    assertThat(GrpcTimeout.parse("500m")).hasValue(Duration.ofMillis(500));
    assertThat(GrpcTimeout.parse("7u")).hasValue(Duration.ofNanos(7000));
    assertThat(GrpcTimeout.parse("99999999n")).hasValue(Duration.ofNanos(99_999_999));
  }

  @Test
  void rejectsWhatTheSpecDoesNotAllow() {
    assertThat(GrpcTimeout.parse(null)).isEmpty();
    assertThat(GrpcTimeout.parse("S")).isEmpty();
    assertThat(GrpcTimeout.parse("123456789S")).isEmpty();
    assertThat(GrpcTimeout.parse("12x")).isEmpty();
    assertThat(GrpcTimeout.parse("-1S")).isEmpty();
  }

  @Test
  void theHeaderIsCappedByTheMaxUnlessZeroThenLessTheOffset() {
    assertThat(GrpcTimeout.fromHeader(Duration.ofSeconds(60), Duration.ofSeconds(5), Optional.empty()))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(GrpcTimeout.fromHeader(Duration.ofSeconds(60), Duration.ZERO, Optional.empty()))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(GrpcTimeout.fromHeader(Duration.ofSeconds(3), Duration.ofSeconds(5), Optional.of(Duration.ofSeconds(1))))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(GrpcTimeout.fromHeader(Duration.ofSeconds(1), Duration.ZERO, Optional.of(Duration.ofSeconds(2))))
        .isEqualTo(Duration.ofNanos(1));
    assertThat(GrpcTimeout.fromHeader(Duration.ZERO, Duration.ZERO, Optional.empty())).isEqualTo(Duration.ofNanos(1));
  }
}
