package dev.outrigger.controlplane.model.file;

/** Told what each reconciliation did to each resource, in the order it happened. */
@FunctionalInterface
public interface ResourceEventListener {
  void onEvent(ResourceEvent event);
}
