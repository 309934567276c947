package dev.outrigger.proxy.http.filter;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** A {@link DelayScheduler} whose delays end when the test says so, on the request's event loop. */
final class ManualScheduler implements DelayScheduler {
  /** One scheduled delay. */
  record Pending(EventLoop loop, FutureTask<Void> task, long nanos) {
    boolean cancelled() {
      return task.isCancelled();
    }
  }

  final List<Pending> scheduled = new CopyOnWriteArrayList<>();

  @Override
  public Future<?> schedule(EventLoop loop, Runnable task, long nanos) {
    FutureTask<Void> future = new FutureTask<>(task, null);
    scheduled.add(new Pending(loop, future, nanos));
    return future;
  }

  /** Ends every delay scheduled so far that nobody cancelled. */
  void elapseAll() {
    for (Pending pending : scheduled) {
      pending.loop().execute(pending.task());
    }
  }
}
