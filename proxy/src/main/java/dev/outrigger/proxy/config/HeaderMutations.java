package dev.outrigger.proxy.config;

import java.util.List;

/**
 * Envoy's {@code request_headers_to_add/remove} and {@code response_headers_to_add/remove}, at one
 * level (route config, virtual host, route or weighted cluster). Levels apply most specific first
 * for adds that append, so that a route's header lands before its virtual host's.
 */
public record HeaderMutations(
    List<HeaderValueOption> requestToAdd,
    List<String> requestToRemove,
    List<HeaderValueOption> responseToAdd,
    List<String> responseToRemove) {

  public static final HeaderMutations NONE =
      new HeaderMutations(List.of(), List.of(), List.of(), List.of());

  public HeaderMutations {
    requestToAdd = List.copyOf(requestToAdd);
    requestToRemove = List.copyOf(requestToRemove);
    responseToAdd = List.copyOf(responseToAdd);
    responseToRemove = List.copyOf(responseToRemove);
  }

  public boolean isEmpty() {
    return requestToAdd.isEmpty()
        && requestToRemove.isEmpty()
        && responseToAdd.isEmpty()
        && responseToRemove.isEmpty();
  }

  /**
   * One header to add. {@code name} is lower case.
   *
   * @param action Envoy's {@code append_action}
   */
  public record HeaderValueOption(String name, String value, AppendAction action) {}

  /** Envoy's {@code HeaderValueOption.HeaderAppendAction}. */
  public enum AppendAction {
    APPEND_IF_EXISTS_OR_ADD,
    ADD_IF_ABSENT,
    OVERWRITE_IF_EXISTS_OR_ADD,
    OVERWRITE_IF_EXISTS
  }
}
