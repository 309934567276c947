package dev.outrigger.controlplane.model;

import java.util.List;
import java.util.Map;

/**
 * RequestHeaderModifier / ResponseHeaderModifier: {@code set} overwrites, {@code add} appends,
 * {@code remove} deletes (applied in that order by Envoy's header mutation).
 */
public record HeaderModifier(Map<String, String> set, Map<String, String> add, List<String> remove) {
  public HeaderModifier {
    set = Map.copyOf(set);
    add = Map.copyOf(add);
    remove = List.copyOf(remove);
  }
}
