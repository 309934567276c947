package dev.outrigger.controlplane.xds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scheduler whose time moves only when a test says so; due tasks run on the test's thread. */
final class ManualScheduler implements Scheduler {
  private record Task(long due, Runnable runnable) {}

  private final List<Task> tasks = new ArrayList<>();
  private long now = 1_000_000_000L;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void schedule(Duration delay, Runnable task) {
    tasks.add(new Task(now + delay.toNanos(), task));
  }

  /** Moves time forward by {@code duration}, running each task when its time comes. */
  void advance(Duration duration) {
    long end;
    synchronized (this) {
      end = now + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(task -> task.due() <= end)
            .min((a, b) -> Long.compare(a.due(), b.due())).orElse(null);
        if (next == null) {
          now = end;
          return;
        }
        tasks.remove(next);
        now = Math.max(now, next.due());
      }
      next.runnable().run();
    }
  }

  synchronized int pendingTasks() {
    return tasks.size();
  }
}
