package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.Resource;
import java.util.List;

/**
 * One file read: the resources of its valid documents and the problems of the others. A file with
 * any problem is rejected as a whole; {@code resources} then still names what it would have
 * defined, for the "rejected" events.
 */
public record ParsedFile(String file, List<Resource> resources, List<Problem> problems) {
  public ParsedFile {
    resources = List.copyOf(resources);
    problems = List.copyOf(problems);
  }

  public boolean valid() {
    return problems.isEmpty();
  }
}
