package dev.outrigger.proxy.http.filter;

import io.netty.channel.EventLoop;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs a task on a request's event loop after a delay; the returned future cancels it. */
@FunctionalInterface
public interface DelayScheduler {
  DelayScheduler EVENT_LOOP = (loop, task, nanos) -> loop.schedule(task, nanos, TimeUnit.NANOSECONDS);

  Future<?> schedule(EventLoop loop, Runnable task, long nanos);
}
