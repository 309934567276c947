package dev.outrigger.proxy.http.routing;

/**
 * ASCII-only case folding, as Envoy compares hosts and paths. Unicode folding would let a path
 * match a route case-insensitively while landing in a different {@link CandidateIndex} bucket.
 */
final class AsciiCase {
  private AsciiCase() {}

  /** Returns {@code value} itself when it has no upper-case ASCII letter. */
  static String toLowerCase(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (isUpper(value.charAt(i))) {
        char[] chars = value.toCharArray();
        for (int j = i; j < chars.length; j++) {
          chars[j] = toLower(chars[j]);
        }
        return new String(chars);
      }
    }
    return value;
  }

  /** Whether {@code value} starts with {@code prefix}, ignoring ASCII case. */
  static boolean startsWithIgnoreCase(String value, String prefix) {
    if (value.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (toLower(value.charAt(i)) != toLower(prefix.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static char toLower(char c) {
    return isUpper(c) ? (char) (c + ('a' - 'A')) : c;
  }
}
