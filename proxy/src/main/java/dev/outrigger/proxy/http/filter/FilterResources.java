package dev.outrigger.proxy.http.filter;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.Ticker;

/**
 * What filters get from the proxy when they are made: where to register their meters, the time
 * their logic runs on, and how to wait. Tests pass a mock ticker and a manual scheduler.
 *
 * @param statPrefix the connection manager's {@code stat_prefix}, for filters whose config has
 *     none of their own to label meters with (RBAC)
 */
public record FilterResources(MeterRegistry registry, Ticker ticker, DelayScheduler scheduler, String statPrefix) {

  public FilterResources(MeterRegistry registry, Ticker ticker, DelayScheduler scheduler) {
    this(registry, ticker, scheduler, "");
  }

  /** The system ticker and the event loops' own timers. */
  public static FilterResources of(MeterRegistry registry) {
    return new FilterResources(registry, Ticker.systemTicker(), DelayScheduler.EVENT_LOOP);
  }

  /** Meters that go nowhere, for a connection manager made without a proxy around it. */
  public static FilterResources unmetered() {
    return of(new SimpleMeterRegistry());
  }

  /** These resources for the filters of the connection manager with {@code statPrefix}. */
  public FilterResources forConnectionManager(String statPrefix) {
    return new FilterResources(registry, ticker, scheduler, statPrefix);
  }
}
