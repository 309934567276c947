package dev.outrigger.proxy.http.filter.ratelimit;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.http.filter.FilterResources;
import dev.outrigger.proxy.http.filter.HttpFilter;
import dev.outrigger.proxy.http.filter.HttpFilterFactory;
import dev.outrigger.proxy.http.filter.Percentage;
import java.util.Optional;

/**
 * {@code envoy.filters.http.local_ratelimit} ({@code LocalRateLimit}), the supported subset; the
 * same type serves as a per-route override, each with a bucket of its own.
 *
 * @param status the answer when limited (Envoy: 429 unless {@code status} is 400 or above)
 * @param tokenBucket empty: nothing is limited
 * @param enabled share of requests that take a token ({@code filter_enabled}; Envoy's default: none)
 * @param enforced share of limited requests that are refused ({@code filter_enforced}; default none)
 * @param responseHeaders {@code response_headers_to_add}, on refused requests only
 * @param rateLimitHeaders {@code enable_x_ratelimit_headers: DRAFT_VERSION_03}
 * @param perConnection {@code local_rate_limit_per_downstream_connection}: a bucket per
 *     downstream connection instead of one for all
 */
public record LocalRateLimitSettings(
    String statPrefix,
    int status,
    Optional<TokenBucketSettings> tokenBucket,
    Percentage enabled,
    Percentage enforced,
    HeaderMutations responseHeaders,
    boolean rateLimitHeaders,
    boolean perConnection)
    implements HttpFilterFactory {

  public static final int DEFAULT_STATUS = 429;

  @Override
  public HttpFilter newFilter(String name, FilterResources resources) {
    return LocalRateLimitFilter.of(this, resources);
  }
}
