package dev.outrigger.controlplane.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.ResourceId;
import dev.outrigger.controlplane.model.file.ResourceEvent;
import dev.outrigger.controlplane.model.file.ResourceEventListener;
import java.util.Locale;

/**
 * {@code dev.outrigger.resource.applied|changed|deleted|rejected}: what each reconciliation of
 * the mesh model did to each resource. Subject: {@code Kind/namespace/name} ({@code Kind/name}
 * for a cluster-scoped kind), or the file when no resource in it could be identified.
 */
public final class ResourceEvents implements ResourceEventListener {
  static final String PREFIX = "dev.outrigger.resource.";

  private final Emitter emitter;

  public ResourceEvents(Emitter emitter) {
    this.emitter = emitter;
  }

  @Override
  public void onEvent(ResourceEvent event) {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("file", event.file());
    event.id().ifPresent(id -> data.put("kind", id.kind().yamlName())
        .put("namespace", id.namespace())
        .put("name", id.name()));
    if (!event.problems().isEmpty()) {
      ArrayNode problems = data.putArray("problems");
      for (Problem problem : event.problems()) {
        problems.addObject()
            .put("file", problem.file())
            .put("resource", problem.resource())
            .put("path", problem.path())
            .put("message", problem.message());
      }
    }
    emitter.emit(PREFIX + event.type().name().toLowerCase(Locale.ROOT),
        event.id().map(ResourceEvents::subject).orElse(event.file()), data);
  }

  private static String subject(ResourceId id) {
    return id.kind().yamlName() + "/" + (id.namespace().isEmpty() ? "" : id.namespace() + "/") + id.name();
  }
}
