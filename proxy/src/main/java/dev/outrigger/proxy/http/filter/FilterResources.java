package dev.outrigger.proxy.http.filter;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.Ticker;

/**
 * What filters get from the proxy when they are made: where to register their meters, the time
 * their logic runs on, and how to wait. Tests pass a mock ticker and a manual scheduler.
 */
public record FilterResources(MeterRegistry registry, Ticker ticker, DelayScheduler scheduler) {

  /** The system ticker and the event loops' own timers. */
  public static FilterResources of(MeterRegistry registry) {
    return new FilterResources(registry, Ticker.systemTicker(), DelayScheduler.EVENT_LOOP);
  }

  /** Meters that go nowhere, for a connection manager made without a proxy around it. */
  public static FilterResources unmetered() {
    return of(new SimpleMeterRegistry());
  }
}
