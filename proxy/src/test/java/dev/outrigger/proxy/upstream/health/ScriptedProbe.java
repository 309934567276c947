package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.upstream.Endpoint;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.Deque;

/** Answers checks with the results queued by the test; with none queued, a check never answers. */
final class ScriptedProbe implements Probe {
  private final Deque<ProbeResult> next = new ArrayDeque<>();
  int checks;

  ScriptedProbe then(ProbeResult... results) {
    next.addAll(java.util.List.of(results));
    return this;
  }

  @Override
  public void check(Endpoint endpoint, EventLoop loop, Promise<ProbeResult> result) {
    checks++;
    ProbeResult answer = next.poll();
    if (answer != null) {
      result.trySuccess(answer);
    }
  }
}
