package dev.outrigger.proxy.http.routing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the received request-target into the one sent upstream (or into a redirect's path). */
@FunctionalInterface
interface PathRewrite {

  /** Keeps the request-target as received (the same instance). */
  PathRewrite NONE = (request, matchedLength) -> request.rawPath;

  String apply(RequestView request, int matchedLength);

  /**
   * {@code prefix_rewrite}: the matched part of the path (the prefix, or the whole path for exact
   * and regex matches) becomes {@code replacement}; the rest and the query stay. As Envoy documents,
   * {@code prefix: /prefix} with {@code prefix_rewrite: /} turns {@code /prefix/etc} into {@code
   * //etc}: strip a directory with a {@code /prefix/} route before a {@code /prefix} one.
   */
  static PathRewrite prefix(String replacement) {
    return (request, matchedLength) -> replacement + request.rawPath.substring(matchedLength);
  }

  /**
   * {@code regex_rewrite}: every match of {@code pattern} in the path (query excluded, then kept)
   * becomes {@code substitution}, written in Envoy's (RE2's) syntax where {@code \1} is group 1.
   */
  static PathRewrite regex(Pattern pattern, String substitution) {
    String replacement = javaReplacement(substitution);
    return (request, matchedLength) -> {
      String rewritten = pattern.matcher(request.path()).replaceAll(replacement);
      return rewritten + request.rawPath.substring(request.pathEnd);
    };
  }

  /** RE2's {@code \N} and {@code \\} to java.util.regex's {@code $N} and {@code \\}; the rest literal. */
  private static String javaReplacement(String re2) {
    StringBuilder java = new StringBuilder(re2.length() + 8);
    for (int i = 0; i < re2.length(); i++) {
      char c = re2.charAt(i);
      if (c != '\\') {
        java.append(Matcher.quoteReplacement(String.valueOf(c)));
        continue;
      }
      char next = i + 1 < re2.length() ? re2.charAt(i + 1) : 0;
      if (next >= '0' && next <= '9') {
        java.append('$').append(next);
      } else if (next == '\\') {
        java.append("\\\\");
      } else {
        throw new IllegalArgumentException(
            "regex_rewrite substitution " + re2 + ": invalid escape at index " + i);
      }
      i++;
    }
    return java.toString();
  }
}
