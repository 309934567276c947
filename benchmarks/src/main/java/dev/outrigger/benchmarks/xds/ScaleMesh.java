package dev.outrigger.benchmarks.xds;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.file.ConfigReconciler;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mesh the scale benchmark serves: {@code services} services spread round-robin over
 * {@code namespaces} namespaces, each with one HTTP port and an HTTPRoute of its own. The route of
 * the first service carries a request header whose value is the revision, so a route change is
 * one edit of one HTTPRoute and a client can tell which revision it holds.
 */
final class ScaleMesh {
  static final String REVISION_HEADER = "x-bench-revision";

  private final int services;
  private final int namespaces;

  ScaleMesh(int services, int namespaces) {
    this.services = services;
    this.namespaces = namespaces;
  }

  int services() {
    return services;
  }

  String namespaceOf(int service) {
    return "ns-" + service % namespaces;
  }

  String nameOf(int service) {
    return "svc-" + service;
  }

  /** The text a client finds in its routes once it holds {@code revision}. */
  static String marker(int revision) {
    return "bench-rev-" + revision;
  }

  MeshModel model(int revision) {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < services; i++) {
      files.put(nameOf(i) + ".yaml", service(i) + route(i, i == 0 ? marker(revision) : "steady"));
    }
    ConfigReconciler.Outcome outcome = new ConfigReconciler().reconcile(files);
    if (!outcome.problems().isEmpty()) {
      throw new IllegalStateException("the generated mesh is invalid: " + outcome.problems());
    }
    return outcome.model();
  }

  private String service(int i) {
    return """
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          ports: [{name: http, port: 8080, protocol: http}]
        ---
        """.formatted(nameOf(i), namespaceOf(i));
  }

  private String route(int i, String revision) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          parentRefs: [{group: "", kind: Service, name: %1$s, port: 8080}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: %3$s, value: %4$s}]
            backendRefs: [{name: %1$s, port: 8080}]
        """.formatted(nameOf(i), namespaceOf(i), REVISION_HEADER, revision);
  }
}
