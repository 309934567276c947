package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.xds.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Time that moves when the test says; due tasks run on the test's thread, in due order. */
final class ManualTime implements Scheduler {
  private record Task(long due, long order, Runnable runnable) {}

  private final List<Task> tasks = new ArrayList<>();
  private long now;
  private long scheduled;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void schedule(Duration delay, Runnable task) {
    tasks.add(new Task(now + delay.toNanos(), scheduled++, task));
  }

  void advance(Duration duration) {
    long end = now + duration.toNanos();
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(task -> task.due() <= end)
            .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::order)).orElse(null);
        if (next == null) {
          now = end;
          return;
        }
        tasks.remove(next);
        now = next.due();
      }
      next.runnable().run();
    }
  }
}
