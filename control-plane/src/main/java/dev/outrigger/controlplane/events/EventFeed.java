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
   * (its subscription ends) rather than slowing the publishers. To show the recent events and then
   * follow without a gap, subscribe first, then read {@link #recent()}, and skip delivered events
   * whose id it held: an event published meanwhile may be in both.
   */
  Subscription subscribe(Consumer<CloudEvent> listener);

  /**
   * As {@link #subscribe(Consumer)}, and runs {@code ended} once if the feed ends the subscription
   * (the reader fell behind, or the feed closed), so that a streaming reader can end its stream;
   * not when the reader closes it. A feed that never cuts readers off never runs it.
   */
  default Subscription subscribe(Consumer<CloudEvent> listener, Runnable ended) {
    return subscribe(listener);
  }

  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
