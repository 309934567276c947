package dev.outrigger.controlplane.model;

/**
 * A header or query-parameter match: {@code type} Exact (the default) or RegularExpression
 * (RE2 syntax in Envoy; checked here with java.util.regex). Header names compare case-insensitively,
 * query parameter names exactly.
 */
public record HeaderMatch(MatchType type, String name, String value) {
  public enum MatchType { EXACT, REGULAR_EXPRESSION }
}
