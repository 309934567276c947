package dev.outrigger.proxy.bootstrap;

/**
 * RE2 substitutions refer to groups as {@code \1}; java.util.regex replacements as {@code $1} and
 * treat {@code $} and {@code \} as special. Translating once here lets the data plane call
 * {@code Matcher.replaceAll} directly.
 */
final class Re2Substitution {
  private Re2Substitution() {}

  static String toJava(String re2) {
    StringBuilder java = new StringBuilder(re2.length() + 8);
    for (int i = 0; i < re2.length(); i++) {
      char c = re2.charAt(i);
      if (c == '\\' && i + 1 < re2.length() && Character.isDigit(re2.charAt(i + 1))) {
        java.append('$').append(re2.charAt(++i));
      } else if (c == '\\' && i + 1 < re2.length() && re2.charAt(i + 1) == '\\') {
        java.append("\\\\");
        i++;
      } else if (c == '$' || c == '\\') {
        java.append('\\').append(c);
      } else {
        java.append(c);
      }
    }
    return java.toString();
  }
}
