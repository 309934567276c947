package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.upstream.Endpoint;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;

/** One kind of active health check. */
interface Probe {

  /**
   * Checks {@code endpoint} once from {@code loop} and completes {@code result} (with {@code
   * trySuccess}: a timeout may have completed it first). Whatever the check opened is closed once
   * {@code result} is complete, by whoever completed it.
   */
  void check(Endpoint endpoint, EventLoop loop, Promise<ProbeResult> result);
}
