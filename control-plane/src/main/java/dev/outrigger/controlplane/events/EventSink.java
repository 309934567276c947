package dev.outrigger.controlplane.events;

import java.io.IOException;

/**
 * Where events are delivered one at a time, in order, on a thread of the {@link EventHub} (never
 * the publisher's): delivery may block, retry, and fail with an exception, which the hub logs
 * and counts as a dropped event.
 */
public interface EventSink {
  void deliver(CloudEvent event) throws IOException, InterruptedException;
}
