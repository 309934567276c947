package dev.outrigger.controlplane.events;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of events drained in order by one task at a time on a shared executor, so a
 * publisher only enqueues and a slow reader holds one thread, not the publisher. What to do when
 * the queue is full is the caller's choice ({@link #offer} says so).
 */
final class Mailbox {
  /** One event taken off the queue; may block, handles its own failures. */
  @FunctionalInterface
  interface Reader {
    void read(CloudEvent event) throws InterruptedException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);

  private final BlockingQueue<CloudEvent> queue;
  private final Reader reader;
  private final Executor executor;
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean stopped;

  Mailbox(int capacity, Reader reader, Executor executor) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.reader = reader;
    this.executor = executor;
  }

  /** False when the queue is full: the event was not taken. */
  boolean offer(CloudEvent event) {
    if (stopped || !queue.offer(event)) {
      return false;
    }
    schedule();
    return true;
  }

  /** Drops what is queued and reads nothing more (the event being read, if any, finishes). */
  void stop() {
    stopped = true;
    queue.clear();
  }

  private void schedule() {
    if (draining.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.set(false); // the hub is closed; nothing reads any more
      }
    }
  }

  private void drain() {
    CloudEvent event;
    while (!stopped && (event = queue.poll()) != null) {
      try {
        reader.read(event);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // the hub is closing; leave draining set so nothing is scheduled again
      } catch (RuntimeException e) {
        LOG.error("delivering event " + event.id() + " failed", e);
      }
    }
    draining.set(false);
    // An event offered between the last poll and the reset above found draining set.
    if (!stopped && !queue.isEmpty()) {
      schedule();
    }
  }
}
