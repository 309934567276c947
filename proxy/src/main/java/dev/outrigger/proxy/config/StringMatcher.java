package dev.outrigger.proxy.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Envoy's {@code type.matcher.v3.StringMatcher}. Regexes use java.util.regex where Envoy uses RE2;
 * the subset that RE2 accepts behaves the same, documented in docs/envoy-subset.md.
 */
public sealed interface StringMatcher {

  boolean matches(String value);

  record Exact(String expected, boolean ignoreCase) implements StringMatcher {
    @Override
    public boolean matches(String value) {
      return ignoreCase ? expected.equalsIgnoreCase(value) : expected.equals(value);
    }
  }

  record Prefix(String prefix, boolean ignoreCase) implements StringMatcher {
    @Override
    public boolean matches(String value) {
      return value.regionMatches(ignoreCase, 0, prefix, 0, prefix.length());
    }
  }

  record Suffix(String suffix, boolean ignoreCase) implements StringMatcher {
    @Override
    public boolean matches(String value) {
      int start = value.length() - suffix.length();
      return start >= 0 && value.regionMatches(ignoreCase, start, suffix, 0, suffix.length());
    }
  }

  record Contains(String part, boolean ignoreCase) implements StringMatcher {
    @Override
    public boolean matches(String value) {
      return ignoreCase
          ? value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT))
          : value.contains(part);
    }
  }

  record Regex(Pattern pattern) implements StringMatcher {
    @Override
    public boolean matches(String value) {
      return pattern.matcher(value).matches();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Regex regex && Patterns.same(pattern, regex.pattern);
    }

    @Override
    public int hashCode() {
      return Patterns.hash(pattern);
    }
  }
}
