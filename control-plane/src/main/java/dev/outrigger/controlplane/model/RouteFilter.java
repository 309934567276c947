package dev.outrigger.controlplane.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A rule's {@code filters} entry (Gateway API's {@code type} + matching field union). GRPCRoute
 * allows only the header modifiers and RequestMirror, as Gateway API does.
 */
public sealed interface RouteFilter {
  record RequestHeaderModifier(HeaderModifier modifier) implements RouteFilter {}

  record ResponseHeaderModifier(HeaderModifier modifier) implements RouteFilter {}

  /** Rewrites before forwarding: the Host/authority and/or the path. */
  record UrlRewrite(Optional<String> hostname, Optional<PathModifier> path) implements RouteFilter {}

  /** Answers with a redirect instead of forwarding; each part not given keeps the request's. */
  record RequestRedirect(Optional<String> scheme, Optional<String> hostname,
      Optional<PathModifier> path, OptionalInt port, int statusCode) implements RouteFilter {}

  /**
   * Sends a copy of {@code numerator/denominator} of the requests to another backend; answers are
   * dropped. Gateway API's {@code percent: p} is {@code p/100}; neither given is {@code 100/100}.
   */
  record RequestMirror(BackendRef backend, int numerator, int denominator) implements RouteFilter {
    /** Whether every request is mirrored. */
    public boolean mirrorsAll() {
      return numerator == denominator;
    }
  }

  /**
   * A path rewrite: ReplaceFullPath replaces the whole path, ReplacePrefixMatch replaces the part
   * matched by the rule's PathPrefix match (which it requires).
   */
  record PathModifier(Type type, String value) {
    public enum Type { REPLACE_FULL_PATH, REPLACE_PREFIX_MATCH }
  }
}
