package dev.outrigger.proxy.config;

import java.time.Duration;
import java.util.Optional;

/**
 * A route's {@code max_stream_duration}.
 *
 * @param maxStreamDuration the whole stream, from its first byte; empty or zero: no limit
 * @param grpcTimeoutHeaderMax when present, a gRPC request's {@code grpc-timeout} replaces the
 *     route timeout, capped at this (zero: no cap); when empty the header is not read
 * @param grpcTimeoutHeaderOffset subtracted from {@code grpc-timeout} (when smaller than it)
 */
public record MaxStreamDuration(
    Optional<Duration> maxStreamDuration,
    Optional<Duration> grpcTimeoutHeaderMax,
    Optional<Duration> grpcTimeoutHeaderOffset) {

  public static final MaxStreamDuration NONE =
      new MaxStreamDuration(Optional.empty(), Optional.empty(), Optional.empty());
}
