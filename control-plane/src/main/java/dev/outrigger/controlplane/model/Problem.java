package dev.outrigger.controlplane.model;

/**
 * One validation error: {@code mesh/routes.yaml: HTTPRoute shop/cart: spec.rules[0].backendRefs[1].weight:
 * must be >= 0}. {@code resource} is the resource's id when known, else the document
 * ({@code document 2}); {@code path} is "" for errors about a whole file or resource.
 */
public record Problem(String file, String resource, String path, String message) {
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(file).append(": ");
    if (!resource.isEmpty()) {
      text.append(resource).append(": ");
    }
    if (!path.isEmpty()) {
      text.append(path).append(": ");
    }
    return text.append(message).toString();
  }
}
