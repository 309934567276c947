package dev.outrigger.controlplane.model;

import java.util.regex.Pattern;

/**
 * The {@code *} patterns of AuthorizationPolicy ({@code spiffeIds}, {@code paths}): {@code *}
 * matches any run of characters, including {@code /}; everything else is literal. The translator
 * turns one into an Envoy prefix/suffix/exact matcher or, with inner stars, this regular expression.
 */
public final class Glob {
  private Glob() {}

  /** The RE2- and java.util.regex-compatible expression matching exactly what {@code glob} does. */
  public static String regex(String glob) {
    StringBuilder regex = new StringBuilder();
    int start = 0;
    for (int star = glob.indexOf('*'); star >= 0; star = glob.indexOf('*', start)) {
      regex.append(quote(glob.substring(start, star))).append(".*");
      start = star + 1;
    }
    return regex.append(quote(glob.substring(start))).toString();
  }

  public static boolean matches(String glob, String text) {
    return Pattern.matches(regex(glob), text);
  }

  private static String quote(String literal) {
    return literal.isEmpty() ? "" : Pattern.quote(literal);
  }
}
