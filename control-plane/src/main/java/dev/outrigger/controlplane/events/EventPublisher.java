package dev.outrigger.controlplane.events;

/**
 * Where the parts of the control plane hand their events. Must not throw and must return quickly:
 * callers include xDS stream threads and the CA's signing path.
 */
@FunctionalInterface
public interface EventPublisher {
  EventPublisher NONE = event -> {};

  void publish(CloudEvent event);
}
