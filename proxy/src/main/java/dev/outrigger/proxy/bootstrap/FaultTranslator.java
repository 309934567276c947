package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.http.filter.fault.FaultSettings;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code envoy.filters.http.fault}: the filter's config and its per-route overrides alike. */
final class FaultTranslator {
  private static final int GRPC_STATUS_MAX = 16;

  private FaultTranslator() {}

  static Optional<FaultSettings> translate(HTTPFault fault, FieldPath path, Translation translation) {
    int errorsBefore = translation.errorCount();
    Optional<FaultSettings.Delay> delay =
        fault.hasDelay() ? delay(fault.getDelay(), path.field("delay"), translation) : Optional.empty();
    Optional<FaultSettings.Abort> abort =
        fault.hasAbort() ? abort(fault.getAbort(), path.field("abort"), translation) : Optional.empty();
    OptionalInt maxActive = fault.hasMaxActiveFaults()
        ? OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(fault.getMaxActiveFaults().getValue())))
        : OptionalInt.empty();
    if (translation.errorCount() != errorsBefore) {
      return Optional.empty();
    }
    return Optional.of(new FaultSettings(delay, abort, maxActive));
  }

  private static Optional<FaultSettings.Delay> delay(FaultDelay delay, FieldPath path, Translation translation) {
    var percentage = Percentages.of(delay.hasPercentage() ? delay.getPercentage() : null);
    switch (delay.getFaultDelaySecifierCase()) {
      case FIXED_DELAY:
        return Optional.of(new FaultSettings.Delay(
            Optional.of(translation.positiveDuration(delay.getFixedDelay(), path.field("fixed_delay"))), percentage));
      case HEADER_DELAY:
        return Optional.of(new FaultSettings.Delay(Optional.empty(), percentage));
      default:
        translation.error(path, "one of fixed_delay, header_delay is required");
        return Optional.empty();
    }
  }

  private static Optional<FaultSettings.Abort> abort(FaultAbort abort, FieldPath path, Translation translation) {
    var percentage = Percentages.of(abort.hasPercentage() ? abort.getPercentage() : null);
    switch (abort.getErrorTypeCase()) {
      case HTTP_STATUS:
        int status = abort.getHttpStatus();
        if (status < 200 || status > 599) {
          translation.error(path.field("http_status"), "must be between 200 and 599, got " + Integer.toUnsignedString(status));
          return Optional.empty();
        }
        return Optional.of(new FaultSettings.Abort(OptionalInt.of(status), OptionalInt.empty(), percentage));
      case GRPC_STATUS:
        int grpc = abort.getGrpcStatus();
        if (grpc < 0 || grpc > GRPC_STATUS_MAX) {
          translation.error(path.field("grpc_status"), "must be a gRPC status code (0-16), got " + Integer.toUnsignedString(grpc));
          return Optional.empty();
        }
        return Optional.of(new FaultSettings.Abort(OptionalInt.empty(), OptionalInt.of(grpc), percentage));
      case HEADER_ABORT:
        return Optional.of(new FaultSettings.Abort(OptionalInt.empty(), OptionalInt.empty(), percentage));
      default:
        translation.error(path, "one of http_status, grpc_status, header_abort is required");
        return Optional.empty();
    }
  }
}
