package dev.outrigger.proxy.http.filter;

import dev.outrigger.proxy.stream.ResponseFlag;
import java.time.Duration;
import java.util.OptionalInt;

/** What a filter decided about a request. */
public sealed interface FilterVerdict
    permits FilterVerdict.Continue, FilterVerdict.Respond, FilterVerdict.Delay {

  /** Go on to the next filter, and after the last, upstream. */
  FilterVerdict CONTINUE = new Continue();

  final class Continue implements FilterVerdict {
    private Continue() {}
  }

  /**
   * Answer locally instead of forwarding; the remaining filters do not run. To a gRPC request the
   * answer is trailers-only with {@code grpcStatus}, or with the status Envoy maps {@code status}
   * to when empty.
   *
   * @param flag the response flag for access logs and metrics; null for none
   */
  record Respond(int status, String body, ResponseFlag flag, OptionalInt grpcStatus) implements FilterVerdict {}

  /**
   * Wait {@code delay} on the event loop, then apply {@code then} as if this filter had returned
   * it. {@code ended} runs once when the wait is over, whether it elapsed or the request went away
   * first (client gone, timeout), so a filter can count requests it holds.
   */
  record Delay(Duration delay, FilterVerdict then, Runnable ended) implements FilterVerdict {
    public Delay {
      if (then instanceof Delay) {
        throw new IllegalArgumentException("a delay goes on to continue or respond, not to another delay");
      }
    }
  }
}
