package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.Problem;
import java.util.List;

/** Where the problems of one document go, labelled with its file and (once known) its resource. */
final class Problems {
  private final String file;
  private final List<Problem> sink;
  private String resource;

  Problems(String file, String resource, List<Problem> sink) {
    this.file = file;
    this.resource = resource;
    this.sink = sink;
  }

  /** Names the document by its resource once kind, namespace and name are read. */
  void resource(String label) {
    resource = label;
  }

  void add(String path, String message) {
    sink.add(new Problem(file, resource, path, message));
  }
}
