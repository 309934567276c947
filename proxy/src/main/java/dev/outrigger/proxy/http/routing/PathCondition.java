package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.RouteMatchConfig.PathMatch;
import java.util.Objects;
import java.util.regex.Pattern;

/** A route's path specifier, compiled. Matches the path without query and fragment. */
interface PathCondition {

  /**
   * Returns how many leading characters of the request's path matched (the part a {@code
   * prefix_rewrite} replaces: the prefix, or the whole path for exact and regex matches), or -1.
   */
  int match(RequestView request);

  /**
   * The first path segment (between the leading {@code /} and the next one) of every path this
   * condition accepts, ASCII lower-cased; null when it accepts paths with different first segments.
   */
  String firstSegment();

  static PathCondition compile(PathMatch match, boolean caseSensitive) {
    Objects.requireNonNull(match, "a route match needs a path specifier");
    if (match instanceof PathMatch.Prefix prefix) {
      return new Prefix(prefix.prefix(), caseSensitive);
    }
    if (match instanceof PathMatch.Exact exact) {
      return new Exact(exact.path(), caseSensitive);
    }
    if (match instanceof PathMatch.SeparatedPrefix separated) {
      return new SeparatedPrefix(separated.prefix(), caseSensitive);
    }
    return new Regex(((PathMatch.Regex) match).pattern());
  }

  private static boolean startsWith(RequestView request, String prefix, boolean caseSensitive) {
    return prefix.length() <= request.pathEnd
        && (caseSensitive
            ? request.rawPath.startsWith(prefix)
            : AsciiCase.startsWithIgnoreCase(request.rawPath, prefix));
  }

  /**
   * The first segment of paths starting with {@code literal}; {@code wholeSegment} says that the
   * literal's last segment cannot be extended (exact and separated-prefix matches).
   */
  private static String segmentOf(String literal, boolean wholeSegment) {
    if (!literal.startsWith("/")) {
      return null;
    }
    int slash = literal.indexOf('/', 1);
    if (slash > 0) {
      return AsciiCase.toLowerCase(literal.substring(1, slash));
    }
    return wholeSegment ? AsciiCase.toLowerCase(literal.substring(1)) : null;
  }

  record Prefix(String prefix, boolean caseSensitive) implements PathCondition {
    @Override
    public int match(RequestView request) {
      return startsWith(request, prefix, caseSensitive) ? prefix.length() : -1;
    }

    @Override
    public String firstSegment() {
      return segmentOf(prefix, false);
    }
  }

  record Exact(String path, boolean caseSensitive) implements PathCondition {
    @Override
    public int match(RequestView request) {
      return request.pathEnd == path.length() && startsWith(request, path, caseSensitive)
          ? path.length()
          : -1;
    }

    @Override
    public String firstSegment() {
      return segmentOf(path, true);
    }
  }

  record SeparatedPrefix(String prefix, boolean caseSensitive) implements PathCondition {
    @Override
    public int match(RequestView request) {
      boolean separated =
          request.pathEnd == prefix.length()
              || (request.pathEnd > prefix.length() && request.rawPath.charAt(prefix.length()) == '/');
      return separated && startsWith(request, prefix, caseSensitive) ? prefix.length() : -1;
    }

    @Override
    public String firstSegment() {
      return segmentOf(prefix, true);
    }
  }

  /** {@code safe_regex}: the whole path must match; {@code case_sensitive} does not apply. */
  record Regex(Pattern pattern) implements PathCondition {
    private static final String METACHARACTERS = "\\^$.|?*+()[]{}";
    private static final String QUANTIFIERS = "?*{";

    @Override
    public int match(RequestView request) {
      return pattern.matcher(request.rawPath).region(0, request.pathEnd).matches()
          ? request.pathEnd
          : -1;
    }

    @Override
    public String firstSegment() {
      return segmentOf(literalPrefix(), false);
    }

    /**
     * The literal text every match starts with: the leading characters up to the first
     * metacharacter, less one when a quantifier makes the last optional. Patterns with flags or an
     * alternation anywhere are not analysed (an alternation may be top-level).
     */
    private String literalPrefix() {
      String source = pattern.pattern();
      if (pattern.flags() != 0 || source.indexOf('|') >= 0) {
        return "";
      }
      int end = 0;
      while (end < source.length() && METACHARACTERS.indexOf(source.charAt(end)) < 0) {
        end++;
      }
      boolean lastIsOptional = end < source.length() && QUANTIFIERS.indexOf(source.charAt(end)) >= 0;
      return source.substring(0, lastIsOptional ? Math.max(0, end - 1) : end);
    }
  }
}
