package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import java.util.ArrayList;
import java.util.List;

/** Composes header mutation levels once per snapshot, dropping the empty ones. */
final class MutationLevels {
  private MutationLevels() {}

  /** @param mostSpecificFirst levels in application order; nulls and empty levels are dropped */
  static List<HeaderMutations> of(List<HeaderMutations> mostSpecificFirst) {
    List<HeaderMutations> levels = new ArrayList<>(mostSpecificFirst.size());
    for (HeaderMutations level : mostSpecificFirst) {
      if (level != null && !level.isEmpty()) {
        levels.add(level);
      }
    }
    return List.copyOf(levels);
  }
}
