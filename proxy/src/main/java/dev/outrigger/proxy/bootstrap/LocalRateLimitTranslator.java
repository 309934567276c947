package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.http.filter.Percentage;
import dev.outrigger.proxy.http.filter.ratelimit.LocalRateLimitSettings;
import dev.outrigger.proxy.http.filter.ratelimit.TokenBucketSettings;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.XRateLimitHeadersRFCVersion;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code envoy.filters.http.local_ratelimit}: the filter's config, and per-route overrides (which need a bucket). */
final class LocalRateLimitTranslator {
  private static final Duration MIN_FILL_INTERVAL = Duration.ofMillis(50);

  private LocalRateLimitTranslator() {}

  static Optional<LocalRateLimitSettings> filter(LocalRateLimit config, FieldPath path, Translation translation) {
    return translate(config, path, translation);
  }

  /** As Envoy: an override without {@code token_bucket} is rejected. */
  static Optional<LocalRateLimitSettings> perRoute(LocalRateLimit config, FieldPath path, Translation translation) {
    if (!config.hasTokenBucket()) {
      translation.error(path.field("token_bucket"), "required in a per-route config");
      return Optional.empty();
    }
    return translate(config, path, translation);
  }

  private static Optional<LocalRateLimitSettings> translate(LocalRateLimit config, FieldPath path, Translation translation) {
    int errorsBefore = translation.errorCount();
    if (config.getStatPrefix().isEmpty()) {
      translation.error(path.field("stat_prefix"), "required");
    }
    Optional<TokenBucketSettings> bucket = config.hasTokenBucket()
        ? Optional.of(tokenBucket(config.getTokenBucket(), path.field("token_bucket"), translation))
        : Optional.empty();
    HeaderMutations responseHeaders = new HeaderMutationTranslator(translation)
        .translate(List.of(), List.of(), config.getResponseHeadersToAddList(), List.of(), path);
    if (translation.errorCount() != errorsBefore) {
      return Optional.empty();
    }
    return Optional.of(new LocalRateLimitSettings(
        config.getStatPrefix(),
        status(config),
        bucket,
        percentage(config.hasFilterEnabled() ? config.getFilterEnabled() : null),
        percentage(config.hasFilterEnforced() ? config.getFilterEnforced() : null),
        responseHeaders,
        config.getEnableXRatelimitHeaders() == XRateLimitHeadersRFCVersion.DRAFT_VERSION_03,
        config.getLocalRateLimitPerDownstreamConnection()));
  }

  /** Envoy: a status below 400 (or none) means 429. */
  private static int status(LocalRateLimit config) {
    int code = config.getStatus().getCodeValue();
    return code >= 400 ? code : LocalRateLimitSettings.DEFAULT_STATUS;
  }

  private static TokenBucketSettings tokenBucket(TokenBucket bucket, FieldPath path, Translation translation) {
    long maxTokens = Integer.toUnsignedLong(bucket.getMaxTokens());
    if (maxTokens == 0) {
      translation.error(path.field("max_tokens"), "must be at least 1");
    }
    long tokensPerFill = bucket.hasTokensPerFill() ? Integer.toUnsignedLong(bucket.getTokensPerFill().getValue()) : 1;
    if (tokensPerFill == 0) {
      translation.error(path.field("tokens_per_fill"), "must be at least 1");
    }
    Duration fillInterval = Duration.ZERO;
    if (!bucket.hasFillInterval()) {
      translation.error(path.field("fill_interval"), "required");
    } else {
      fillInterval = translation.duration(bucket.getFillInterval(), path.field("fill_interval"));
      if (fillInterval.compareTo(MIN_FILL_INTERVAL) < 0) {
        translation.error(path.field("fill_interval"), "must be at least 50ms, as in Envoy");
      }
    }
    return new TokenBucketSettings(maxTokens, tokensPerFill, fillInterval);
  }

  /**
   * {@code default_value}; Outrigger has no runtime, so {@code runtime_key} never overrides it (as
   * in Envoy without that runtime key). Unset: none, Envoy's default for these two fields.
   */
  private static Percentage percentage(RuntimeFractionalPercent percent) {
    return percent == null ? Percentage.NONE : Percentages.of(percent.hasDefaultValue() ? percent.getDefaultValue() : null);
  }
}
