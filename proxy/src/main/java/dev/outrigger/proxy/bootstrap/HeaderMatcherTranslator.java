package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.StringMatcher;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import java.util.Locale;
import java.util.Optional;

/** A {@code HeaderMatcher}, as routes and RBAC rules use it. */
final class HeaderMatcherTranslator {
  private final Translation translation;

  HeaderMatcherTranslator(Translation translation) {
    this.translation = translation;
  }

  Optional<RouteMatchConfig.HeaderMatcher> translate(HeaderMatcher matcher, FieldPath path) {
    if (!HeaderMutationTranslator.isHeaderName(matcher.getName())) {
      translation.error(path.field("name"), "a header name is required");
      return Optional.empty();
    }
    String name = matcher.getName().toLowerCase(Locale.ROOT);
    Optional<StringMatcher> match;
    switch (matcher.getHeaderMatchSpecifierCase()) {
      case EXACT_MATCH:
        match = Optional.of(new StringMatcher.Exact(matcher.getExactMatch(), false));
        break;
      case PREFIX_MATCH:
        match = translation.nonEmpty(matcher.getPrefixMatch(), path.field("prefix_match"))
            .map(p -> new StringMatcher.Prefix(p, false));
        break;
      case SUFFIX_MATCH:
        match = translation.nonEmpty(matcher.getSuffixMatch(), path.field("suffix_match"))
            .map(s -> new StringMatcher.Suffix(s, false));
        break;
      case CONTAINS_MATCH:
        match = translation.nonEmpty(matcher.getContainsMatch(), path.field("contains_match"))
            .map(c -> new StringMatcher.Contains(c, false));
        break;
      case SAFE_REGEX_MATCH:
        match = translation.regex(matcher.getSafeRegexMatch(), path.field("safe_regex_match"))
            .map(StringMatcher.Regex::new);
        break;
      case STRING_MATCH:
        match = new StringMatcherTranslator(translation).translate(matcher.getStringMatch(), path.field("string_match"));
        break;
      case PRESENT_MATCH:
        return Optional.of(new RouteMatchConfig.HeaderMatcher(
            name, Optional.empty(), matcher.getPresentMatch(), matcher.getInvertMatch()));
      default:
        // Envoy: a matcher without a specifier checks that the header is present.
        return Optional.of(new RouteMatchConfig.HeaderMatcher(name, Optional.empty(), true, matcher.getInvertMatch()));
    }
    return match.map(m -> new RouteMatchConfig.HeaderMatcher(name, Optional.of(m), false, matcher.getInvertMatch()));
  }
}
