package dev.outrigger.controlplane.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;

/** Events for the tests of this package: numbered, so order and identity are easy to check. */
final class Events {
  private Events() {}

  static CloudEvent numbered(int n) {
    return new CloudEvent("e" + n, "//test", "dev.outrigger.test", "subject-" + n,
        Instant.parse("2026-11-29T17:00:00Z").plusSeconds(n), JsonNodeFactory.instance.objectNode().put("n", n));
  }
}
