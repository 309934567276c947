package dev.outrigger.proxy.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Re2SubstitutionTest {
  @ParameterizedTest(name = "{1} -> {2}")
  @CsvSource(delimiter = '|', value = {
    "^/(a)/(b)$ | /\\2/\\1     | /b/a",
    "^/(a)/(b)$ | /$1          | /$1",
    "^/(a)/(b)$ | /x\\\\y      | /x\\y",
    "^/(a)/(b)$ | /\\          | /\\",
    "^/(a)/(b)$ | \\0!         | /a/b!",
  })
  void re2SubstitutionsMeanTheSameInJava(String regex, String re2, String expected) {
    String java = Re2Substitution.toJava(re2);
    assertThat(Pattern.compile(regex).matcher("/a/b").replaceAll(java)).isEqualTo(expected);
  }
}
