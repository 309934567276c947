package dev.outrigger.proxy.http.filter.fault;

import dev.outrigger.proxy.config.HttpFilterSettings;
import dev.outrigger.proxy.http.filter.FilterRequest;
import dev.outrigger.proxy.http.filter.FilterVerdict;
import dev.outrigger.proxy.http.filter.HttpFilter;
import dev.outrigger.proxy.http.filter.Percentage;
import dev.outrigger.proxy.stream.ResponseFlag;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Envoy's HTTP fault filter: delays a share of requests (flag {@code DI}), then maybe aborts them
 * with a local answer (flag {@code FI}); both decided when the request arrives. With {@code
 * header_delay} / {@code header_abort} the request's {@code x-envoy-fault-*} headers say how, and
 * their {@code -percentage} variants may lower (never raise) the configured share.
 */
final class FaultFilter implements HttpFilter {
  static final AsciiString DELAY_REQUEST = AsciiString.cached("x-envoy-fault-delay-request");
  static final AsciiString DELAY_PERCENTAGE = AsciiString.cached("x-envoy-fault-delay-request-percentage");
  static final AsciiString ABORT_REQUEST = AsciiString.cached("x-envoy-fault-abort-request");
  static final AsciiString ABORT_GRPC_REQUEST = AsciiString.cached("x-envoy-fault-abort-grpc-request");
  static final AsciiString ABORT_PERCENTAGE = AsciiString.cached("x-envoy-fault-abort-request-percentage");
  private static final String ABORT_BODY = "fault filter abort";
  private static final int GRPC_STATUS_MAX = 16;

  private final FaultSettings settings;
  private final FaultMeters meters;
  private final ActiveFaults active;
  private final Runnable delayEnded;

  FaultFilter(FaultSettings settings, FaultMeters meters, ActiveFaults active) {
    this.settings = settings;
    this.meters = meters;
    this.active = active;
    this.delayEnded = active::ended;
  }

  @Override
  public HttpFilter forRoute(HttpFilterSettings override) {
    return new FaultFilter((FaultSettings) override, meters, active);
  }

  @Override
  public FilterVerdict onRequest(FilterRequest request) {
    HttpHeaders headers = request.headers();
    Duration delay = settings.delay().isPresent() ? delayFor(settings.delay().get(), headers) : null;
    FilterVerdict.Respond abort = settings.abort().isPresent() ? abortFor(settings.abort().get(), headers) : null;
    if (delay == null && abort == null) {
      return FilterVerdict.CONTINUE;
    }
    if (settings.maxActiveFaults().isPresent() && active.atLimit(settings.maxActiveFaults().getAsInt())) {
      meters.overflows().increment();
      return FilterVerdict.CONTINUE;
    }
    if (abort != null) {
      meters.aborts().increment();
    }
    if (delay == null) {
      return abort;
    }
    meters.delays().increment();
    request.streamInfo().addResponseFlag(ResponseFlag.DI);
    active.started();
    return new FilterVerdict.Delay(delay, abort == null ? FilterVerdict.CONTINUE : abort, delayEnded);
  }

  /** The delay for this request, or null for none. */
  private static Duration delayFor(FaultSettings.Delay delay, HttpHeaders headers) {
    if (delay.fixed().isPresent()) {
      return delay.percentage().sample() ? delay.fixed().get() : null;
    }
    long millis = number(headers.get(DELAY_REQUEST));
    if (millis <= 0 || !percentage(delay.percentage(), headers, DELAY_PERCENTAGE).sample()) {
      return null;
    }
    return Duration.ofMillis(millis);
  }

  /** The answer for this request, or null for none. An HTTP status wins over a gRPC one, as in Envoy. */
  private static FilterVerdict.Respond abortFor(FaultSettings.Abort abort, HttpHeaders headers) {
    OptionalInt http = abort.httpStatus();
    OptionalInt grpc = abort.grpcStatus();
    Percentage percentage = abort.percentage();
    if (abort.fromHeaders()) {
      long status = number(headers.get(ABORT_REQUEST));
      long grpcStatus = number(headers.get(ABORT_GRPC_REQUEST));
      http = status >= 200 && status < 600 ? OptionalInt.of((int) status) : OptionalInt.empty();
      grpc = grpcStatus >= 0 && grpcStatus <= GRPC_STATUS_MAX ? OptionalInt.of((int) grpcStatus) : OptionalInt.empty();
      percentage = percentage(percentage, headers, ABORT_PERCENTAGE);
    }
    if ((http.isEmpty() && grpc.isEmpty()) || !percentage.sample()) {
      return null;
    }
    if (http.isPresent()) {
      return new FilterVerdict.Respond(http.getAsInt(), ABORT_BODY, ResponseFlag.FI, OptionalInt.empty());
    }
    return new FilterVerdict.Respond(200, ABORT_BODY, ResponseFlag.FI, grpc);
  }

  private static Percentage percentage(Percentage configured, HttpHeaders headers, AsciiString header) {
    long numerator = number(headers.get(header));
    return numerator < 0 ? configured : configured.capped(numerator);
  }

  /** A non-negative decimal header value, or -1 when absent or not one. */
  private static long number(String value) {
    if (value == null || value.isEmpty() || value.length() > 18) {
      return -1;
    }
    long result = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }
}
