package dev.outrigger.proxy.http.filter.ratelimit;

import java.time.Duration;

/**
 * Envoy's {@code TokenBucket}.
 *
 * @param maxTokens capacity, and the tokens at start (1 – 2³²−1)
 * @param tokensPerFill added every {@code fillInterval} (default 1)
 * @param fillInterval at least 50 ms, as Envoy requires
 */
public record TokenBucketSettings(long maxTokens, long tokensPerFill, Duration fillInterval) {}
