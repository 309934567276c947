package dev.outrigger.controlplane.model;

import java.util.Map;

/** {@code metadata}: name, namespace ("" for cluster-scoped kinds) and labels. */
public record Metadata(String name, String namespace, Map<String, String> labels) {
  public Metadata {
    labels = Map.copyOf(labels);
  }
}
