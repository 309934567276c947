package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.xds.Resources;
import java.util.List;

/**
 * What {@link Translator} produced for one proxy: its resources, and what of the model it had to
 * leave out because the proxy cannot do it (each warning names the route rule or service).
 */
public record Translation(Resources resources, List<String> warnings) {
  public Translation {
    warnings = List.copyOf(warnings);
  }

  /** Both translations' resources and warnings; a resource name may be in only one of them. */
  Translation with(Translation other) {
    List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(other.warnings);
    return new Translation(Resources.builder().addAll(resources).addAll(other.resources).build(), all);
  }
}
