package dev.outrigger.controlplane.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outrigger.controlplane.ca.RootRotation.RootStatus;
import java.util.List;
import java.util.Locale;

/**
 * {@code dev.outrigger.ca.root.rotated}: one step of the root rotation ({@code prepare},
 * {@code activate}, {@code retire}) with the roots it concerns. Subject: the trust domain. The
 * steps run in {@code outrigger ctl ca rotate}, which changes the state directory itself, so
 * these events come from that process (source {@link Emitter#CTL}).
 */
public final class RootRotationEvents {
  static final String ROTATED = "dev.outrigger.ca.root.rotated";

  private final Emitter emitter;
  private final String trustDomain;

  public RootRotationEvents(Emitter emitter, String trustDomain) {
    this.emitter = emitter;
    this.trustDomain = trustDomain;
  }

  /** The new root is in the bundle; the old one still issues. */
  public void prepared(RootStatus root) {
    rotated("prepare", List.of(root));
  }

  /** The prepared root issues now. */
  public void activated(RootStatus root) {
    rotated("activate", List.of(root));
  }

  /** The previous roots left the bundle. */
  public void retired(List<RootStatus> roots) {
    rotated("retire", roots);
  }

  private void rotated(String step, List<RootStatus> roots) {
    ObjectNode data = JsonNodeFactory.instance.objectNode()
        .put("step", step)
        .put("trustDomain", trustDomain);
    ArrayNode list = data.putArray("roots");
    for (RootStatus root : roots) {
      list.addObject()
          .put("id", root.id())
          .put("phase", root.phase().name().toLowerCase(Locale.ROOT))
          .put("fingerprint", root.rootFingerprint())
          .put("subject", root.rootSubject())
          .put("notAfter", root.rootNotAfter().toString());
    }
    emitter.emit(ROTATED, trustDomain, data);
  }
}
