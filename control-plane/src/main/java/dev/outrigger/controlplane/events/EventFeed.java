package dev.outrigger.controlplane.events;

import java.util.List;
import java.util.function.Consumer;

/** The events already published, for readers such as {@code ctl events [-f]}. */
public interface EventFeed {
  /** The most recent events, oldest first; a bounded window, not the whole history. */
  List<CloudEvent> recent();

  /**
   * Calls {@code listener} with every event published from now on, in order, until the returned
   * handle is closed. The listener must return quickly; a reader that falls behind is cut off
   * (its subscription ends) rather than slowing the publishers.
   */
  Subscription subscribe(Consumer<CloudEvent> listener);

  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
