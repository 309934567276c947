package dev.outrigger.proxy.bootstrap;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of a document across the loading stages (shape, subset, semantics).
 * A stage removes what it rejects and the next stage runs on the rest, so one run reports
 * everything; a later stage's complaint inside a path an earlier stage already rejected is an
 * echo of that rejection and is dropped.
 */
final class Problems {
  private final List<FieldPath> paths = new ArrayList<>();
  private final List<ConfigError> errors = new ArrayList<>();
  private int earlierStages;

  void add(FieldPath path, String message) {
    for (int i = 0; i < earlierStages; i++) {
      if (path.isWithin(paths.get(i))) {
        return;
      }
    }
    paths.add(path);
    errors.add(new ConfigError(path.toString(), message));
  }

  /** Whether an earlier stage rejected something inside {@code path}, which left it emptier. */
  boolean rejectedEarlierWithin(FieldPath path) {
    for (int i = 0; i < earlierStages; i++) {
      if (paths.get(i).isWithin(path)) {
        return true;
      }
    }
    return false;
  }

  int count() {
    return errors.size();
  }

  /** Starts the next stage: from now on, paths reported so far silence their echoes. */
  void nextStage() {
    earlierStages = paths.size();
  }

  List<ConfigError> all() {
    return List.copyOf(errors);
  }

  void throwIfAny() throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }
}
