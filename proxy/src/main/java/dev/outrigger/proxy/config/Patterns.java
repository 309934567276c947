package dev.outrigger.proxy.config;

import java.util.regex.Pattern;

/**
 * Value equality for the compiled regexes in config records. {@link Pattern} compares by identity,
 * yet a config update keeps what is unchanged by comparing records: two translations of the same
 * regex must be equal.
 */
final class Patterns {
  private Patterns() {}

  static boolean same(Pattern a, Pattern b) {
    return a.pattern().equals(b.pattern()) && a.flags() == b.flags();
  }

  static int hash(Pattern pattern) {
    return pattern.pattern().hashCode() * 31 + pattern.flags();
  }
}
