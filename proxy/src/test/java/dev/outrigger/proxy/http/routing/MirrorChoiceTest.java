package dev.outrigger.proxy.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.MirrorPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MirrorChoiceTest {
  private static final MirrorPolicy ALL = new MirrorPolicy("all", 1, 1, true);
  private static final MirrorPolicy THIRTY_PERCENT = new MirrorPolicy("some", 30, 100, true);
  private static final MirrorPolicy NEVER = new MirrorPolicy("never", 0, 1_000_000, true);

  /** Each share is drawn on its own: a draw below the numerator (of the denominator) takes the request. */
  @ParameterizedTest
  @CsvSource({"0, 'all,some'", "29, 'all,some'", "30, all", "99, all"})
  void eachPolicyDrawsItsShare(int drawn, String expected) {
    MirrorChoice choice = new MirrorChoice(List.of(ALL, THIRTY_PERCENT, NEVER), bound -> drawn % bound);

    assertThat(choice.choose()).extracting(MirrorPolicy::cluster).containsExactly(expected.split(","));
  }

  @Test
  void policiesTakingEveryRequestNeedNoDraw() {
    MirrorChoice choice = new MirrorChoice(List.of(ALL), bound -> {
      throw new AssertionError("no draw expected");
    });

    assertThat(choice.choose()).containsExactly(ALL);
  }
}
