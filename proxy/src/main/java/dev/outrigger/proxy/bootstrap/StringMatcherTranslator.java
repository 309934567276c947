package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.StringMatcher;
import java.util.Optional;

/** Envoy's {@code type.matcher.v3.StringMatcher}. */
final class StringMatcherTranslator {
  private final Translation translation;

  StringMatcherTranslator(Translation translation) {
    this.translation = translation;
  }

  Optional<StringMatcher> translate(io.envoyproxy.envoy.type.matcher.v3.StringMatcher matcher, FieldPath path) {
    boolean ignoreCase = matcher.getIgnoreCase();
    switch (matcher.getMatchPatternCase()) {
      case EXACT:
        return Optional.of(new StringMatcher.Exact(matcher.getExact(), ignoreCase));
      case PREFIX:
        return translation.nonEmpty(matcher.getPrefix(), path.field("prefix"))
            .map(p -> new StringMatcher.Prefix(p, ignoreCase));
      case SUFFIX:
        return translation.nonEmpty(matcher.getSuffix(), path.field("suffix"))
            .map(s -> new StringMatcher.Suffix(s, ignoreCase));
      case CONTAINS:
        return translation.nonEmpty(matcher.getContains(), path.field("contains"))
            .map(c -> new StringMatcher.Contains(c, ignoreCase));
      case SAFE_REGEX:
        if (ignoreCase) {
          // Envoy ignores it silently; we never ignore configuration silently.
          translation.error(path.field("ignore_case"), "has no effect on safe_regex; use (?i) in the regex");
          return Optional.empty();
        }
        return translation.regex(matcher.getSafeRegex(), path.field("safe_regex")).map(StringMatcher.Regex::new);
      default:
        translation.error(path, "one of exact, prefix, suffix, contains, safe_regex is required");
        return Optional.empty();
    }
  }

}
