package dev.outrigger.controlplane.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outrigger.controlplane.events.CloudEvent;
import dev.outrigger.controlplane.events.EventFeed;
import dev.outrigger.controlplane.events.EventPublisher;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A minimal in-test event log: the seam the admin API reads, fed by the test. */
public final class TestFeed implements EventFeed, EventPublisher {
  private final List<CloudEvent> recent = new CopyOnWriteArrayList<>();
  private final List<Consumer<CloudEvent>> subscribers = new CopyOnWriteArrayList<>();

  /** An event of {@code type} about {@code subject}, with a small JSON payload. */
  public static CloudEvent event(String id, String type, String subject) {
    return new CloudEvent(id, "//outrigger/control-plane", type, subject, Instant.parse("2026-11-29T12:00:00Z"),
        JsonNodeFactory.instance.objectNode().put("note", "from the test").put("count", 3));
  }

  @Override
  public void publish(CloudEvent event) {
    recent.add(event);
    subscribers.forEach(subscriber -> subscriber.accept(event));
  }

  public int subscribers() {
    return subscribers.size();
  }

  @Override
  public List<CloudEvent> recent() {
    return List.copyOf(recent);
  }

  @Override
  public Subscription subscribe(Consumer<CloudEvent> listener) {
    subscribers.add(listener);
    return () -> subscribers.remove(listener);
  }
}
