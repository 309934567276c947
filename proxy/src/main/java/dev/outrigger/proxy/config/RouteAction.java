package dev.outrigger.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What a matched route does: forward to a cluster, answer directly, or redirect. */
public sealed interface RouteAction {

  /**
   * {@code route}: forward upstream.
   *
   * @param clusterHeader when present, the cluster is named by this request header ({@code
   *     cluster_header}) and {@code clusters} is empty
   * @param timeout the whole exchange, from the end of the request (Envoy default 15 s; zero
   *     disables)
   * @param idleTimeout per-stream idle timeout overriding the connection manager's; empty inherits
   * @param retryPolicy the route's {@code retry_policy}; empty inherits the virtual host's
   * @param perRequestBufferLimitBytes the {@code Route}'s {@code per_request_buffer_limit_bytes}:
   *     how much request body is kept for retries; empty inherits the virtual host's
   * @param maxStreamDuration {@code max_stream_duration}
   * @param hashPolicies {@code hash_policy}: what the request hash of RING_HASH and MAGLEV is made of
   * @param mirrorPolicies {@code request_mirror_policies}: where copies of the requests go
   */
  record Forward(
      WeightedClusters clusters,
      Optional<String> clusterHeader,
      Optional<String> prefixRewrite,
      Optional<RegexRewrite> regexRewrite,
      Optional<String> hostRewriteLiteral,
      boolean autoHostRewrite,
      Duration timeout,
      Optional<Duration> idleTimeout,
      Optional<RetryPolicy> retryPolicy,
      Optional<Integer> perRequestBufferLimitBytes,
      MaxStreamDuration maxStreamDuration,
      List<HashPolicy> hashPolicies,
      List<MirrorPolicy> mirrorPolicies)
      implements RouteAction {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public Forward {
      hashPolicies = List.copyOf(hashPolicies);
      mirrorPolicies = List.copyOf(mirrorPolicies);
    }

    /** A route without retries, stream duration limits, hash or mirror policies of its own. */
    public Forward(
        WeightedClusters clusters,
        Optional<String> clusterHeader,
        Optional<String> prefixRewrite,
        Optional<RegexRewrite> regexRewrite,
        Optional<String> hostRewriteLiteral,
        boolean autoHostRewrite,
        Duration timeout,
        Optional<Duration> idleTimeout) {
      this(clusters, clusterHeader, prefixRewrite, regexRewrite, hostRewriteLiteral, autoHostRewrite, timeout,
          idleTimeout, Optional.empty(), Optional.empty(), MaxStreamDuration.NONE, List.of(), List.of());
    }
  }

  /** {@code direct_response}: answer with a status and an optional body. */
  record DirectResponse(int status, Optional<String> body) implements RouteAction {}

  /**
   * {@code redirect}. Each empty part keeps the request's own value.
   *
   * @param responseCode 301, 302, 303, 307 or 308
   */
  record Redirect(
      Optional<String> scheme,
      Optional<String> host,
      Optional<Integer> port,
      Optional<String> pathRedirect,
      Optional<String> prefixRewrite,
      int responseCode,
      boolean stripQuery)
      implements RouteAction {}

  /**
   * {@code regex_rewrite}: every match of {@code pattern} in the path becomes {@code substitution}.
   * The substitution is kept in Envoy's (RE2's) syntax, {@code \1} for group 1 and {@code $}
   * literal; the router translates it.
   */
  record RegexRewrite(Pattern pattern, String substitution) {
    @Override
    public boolean equals(Object other) {
      return other instanceof RegexRewrite rewrite
          && Patterns.same(pattern, rewrite.pattern)
          && substitution.equals(rewrite.substitution);
    }

    @Override
    public int hashCode() {
      return Patterns.hash(pattern) * 31 + substitution.hashCode();
    }
  }
}
