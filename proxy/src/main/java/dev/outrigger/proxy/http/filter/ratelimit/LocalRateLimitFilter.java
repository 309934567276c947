package dev.outrigger.proxy.http.filter.ratelimit;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HttpFilterSettings;
import dev.outrigger.proxy.http.filter.ConnectionLocal;
import dev.outrigger.proxy.http.filter.FilterRequest;
import dev.outrigger.proxy.http.filter.FilterResources;
import dev.outrigger.proxy.http.filter.FilterVerdict;
import dev.outrigger.proxy.http.filter.HttpFilter;
import dev.outrigger.proxy.http.routing.HeaderMutator;
import dev.outrigger.proxy.stream.ResponseFlag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.OptionalInt;

/**
 * Envoy's HTTP local rate limit: a token bucket per filter config (the filter's own, or each
 * per-route override's), shared by every event loop, or one per downstream connection. A request
 * without a token is refused with flag {@code RL}; to gRPC, trailers-only with the status Envoy
 * maps the HTTP status to (UNAVAILABLE for 429).
 */
final class LocalRateLimitFilter implements HttpFilter {
  static final AsciiString LIMIT = AsciiString.cached("x-ratelimit-limit");
  static final AsciiString REMAINING = AsciiString.cached("x-ratelimit-remaining");
  static final AsciiString RESET = AsciiString.cached("x-ratelimit-reset");
  private static final String METER = "outrigger.http.ratelimited";

  private final LocalRateLimitSettings settings;
  private final FilterResources resources;
  /** The bucket of all requests; null when there is one per connection. */
  private final TokenBucket shared;
  private final ConnectionLocal<TokenBucket> perConnection;
  private final FilterVerdict.Respond refusal;
  private final List<HeaderMutations> refusalHeaders;
  private final Counter refused;
  private final Counter notEnforced;

  private LocalRateLimitFilter(LocalRateLimitSettings settings, FilterResources resources, TokenBucketSettings bucket) {
    this.settings = settings;
    this.resources = resources;
    if (settings.perConnection()) {
      this.shared = null;
      this.perConnection = new ConnectionLocal<>(() -> new TokenBucket(bucket, resources.ticker()));
    } else {
      this.shared = new TokenBucket(bucket, resources.ticker());
      this.perConnection = null;
    }
    this.refusal = new FilterVerdict.Respond(settings.status(), "local_rate_limited", ResponseFlag.RL, OptionalInt.empty());
    this.refusalHeaders = List.of(settings.responseHeaders());
    this.refused = counter(resources.registry(), settings.statPrefix(), true);
    this.notEnforced = counter(resources.registry(), settings.statPrefix(), false);
  }

  /** Without a token bucket there is nothing to limit: a filter that lets everything through. */
  static HttpFilter of(LocalRateLimitSettings settings, FilterResources resources) {
    if (settings.tokenBucket().isEmpty()) {
      return new Unlimited(resources);
    }
    return new LocalRateLimitFilter(settings, resources, settings.tokenBucket().get());
  }

  @Override
  public HttpFilter forRoute(HttpFilterSettings override) {
    return of((LocalRateLimitSettings) override, resources);
  }

  @Override
  public FilterVerdict onRequest(FilterRequest request) {
    if (!settings.enabled().sample()) {
      return FilterVerdict.CONTINUE;
    }
    TokenBucket bucket = shared != null ? shared : request.connectionLocal(perConnection);
    long left = bucket.tryTake();
    if (settings.rateLimitHeaders()) {
      HttpHeaders headers = request.responseHeaders();
      headers.set(LIMIT, bucket.maxTokens());
      headers.set(REMAINING, Math.max(left, 0));
      headers.set(RESET, bucket.secondsToNextFill());
    }
    if (left >= 0) {
      return FilterVerdict.CONTINUE;
    }
    if (!settings.enforced().sample()) {
      notEnforced.increment();
      return FilterVerdict.CONTINUE;
    }
    refused.increment();
    HeaderMutator.applyResponse(request.responseHeaders(), refusalHeaders);
    return refusal;
  }

  /** {@code outrigger_http_ratelimited_total{stat_prefix, enforced}}: requests over the limit. */
  private static Counter counter(MeterRegistry registry, String statPrefix, boolean enforced) {
    return Counter.builder(METER)
        .description("Requests over a local rate limit (enforced=false: let through by filter_enforced)")
        .tag("stat_prefix", statPrefix)
        .tag("enforced", String.valueOf(enforced))
        .register(registry);
  }

  /** A config without {@code token_bucket}, as on a connection manager whose routes set their own. */
  private record Unlimited(FilterResources resources) implements HttpFilter {
    @Override
    public FilterVerdict onRequest(FilterRequest request) {
      return FilterVerdict.CONTINUE;
    }

    @Override
    public HttpFilter forRoute(HttpFilterSettings override) {
      return of((LocalRateLimitSettings) override, resources);
    }
  }
}
