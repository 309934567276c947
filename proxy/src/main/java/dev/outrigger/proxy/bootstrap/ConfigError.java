package dev.outrigger.proxy.bootstrap;

/**
 * One problem in a configuration, at a field path in Envoy's form ({@code
 * static_resources.clusters[2].lb_policy}); the path is empty for the document as a whole.
 */
public record ConfigError(String path, String message) {
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
