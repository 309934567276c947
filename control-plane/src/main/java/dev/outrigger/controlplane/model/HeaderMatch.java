package dev.outrigger.controlplane.model;

/**
 * A header or query-parameter match: {@code type} Exact (the default) or RegularExpression (RE2
 * syntax, Envoy's safe_regex: the loader rejects what RE2 lacks). Header names compare
 * case-insensitively, query parameter names exactly.
 */
public record HeaderMatch(MatchType type, String name, String value) {
  public enum MatchType { EXACT, REGULAR_EXPRESSION }
}
