package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.ResourceId;
import java.util.List;
import java.util.Optional;

/**
 * What a change of the configuration did to one resource: the unit of the audit trail (a later
 * piece turns these into CloudEvents and {@code ctl apply} results).
 *
 * @param id the resource; empty for a rejected file in which no resource could be identified
 * @param problems why it was rejected; empty for the other types
 */
public record ResourceEvent(Type type, String file, Optional<ResourceId> id, List<Problem> problems) {
  public ResourceEvent {
    problems = List.copyOf(problems);
  }

  public enum Type {
    /** New in the model. */
    APPLIED,
    /** In the model before and now, with a different content. */
    CHANGED,
    /** No longer in the model. */
    DELETED,
    /** Its file's new content was not applied; the last good version (if any) keeps serving. */
    REJECTED
  }

  @Override
  public String toString() {
    return type + " " + id.map(ResourceId::toString).orElse("(unidentified)") + " from " + file
        + (problems.isEmpty() ? "" : ": " + problems);
  }
}
