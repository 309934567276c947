package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HeaderMutations.AppendAction;
import dev.outrigger.proxy.config.HeaderMutations.HeaderValueOption;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Applies {@code *_headers_to_add} and {@code *_headers_to_remove} in Envoy's order. Levels apply
 * in the order given (a decision lists them most specific first: weighted cluster, route, virtual
 * host, route table), so a general level's overwrite wins over a specific one, and a specific
 * level's appended value comes first. Within a level: removals first; then every add is decided
 * against the headers as they are after the removals (so {@code ADD_IF_ABSENT} and {@code
 * OVERWRITE_IF_EXISTS} do not see the level's own adds); then overwrites are set; then appends are
 * added. Empty values are not added (Envoy's default {@code keep_empty_value: false}).
 */
public final class HeaderMutator {
  private HeaderMutator() {}

  public static void applyRequest(HttpHeaders headers, List<HeaderMutations> levels) {
    for (HeaderMutations level : levels) {
      apply(headers, level.requestToRemove(), level.requestToAdd());
    }
  }

  public static void applyResponse(HttpHeaders headers, List<HeaderMutations> levels) {
    for (HeaderMutations level : levels) {
      apply(headers, level.responseToRemove(), level.responseToAdd());
    }
  }

  private static void apply(HttpHeaders headers, List<String> removals, List<HeaderValueOption> adds) {
    for (String name : removals) {
      headers.remove(name);
    }
    if (adds.isEmpty()) {
      return;
    }
    boolean[] applies = new boolean[adds.size()];
    for (int i = 0; i < applies.length; i++) {
      applies[i] = applies(headers, adds.get(i));
    }
    for (int i = 0; i < applies.length; i++) {
      HeaderValueOption add = adds.get(i);
      if (applies[i] && overwrites(add.action())) {
        headers.set(add.name(), add.value());
      }
    }
    for (int i = 0; i < applies.length; i++) {
      HeaderValueOption add = adds.get(i);
      if (applies[i] && !overwrites(add.action())) {
        headers.add(add.name(), add.value());
      }
    }
  }

  private static boolean applies(HttpHeaders headers, HeaderValueOption add) {
    if (add.value().isEmpty()) {
      return false;
    }
    switch (add.action()) {
      case ADD_IF_ABSENT:
        return !headers.contains(add.name());
      case OVERWRITE_IF_EXISTS:
        return headers.contains(add.name());
      default:
        return true;
    }
  }

  private static boolean overwrites(AppendAction action) {
    return action == AppendAction.OVERWRITE_IF_EXISTS_OR_ADD || action == AppendAction.OVERWRITE_IF_EXISTS;
  }
}
