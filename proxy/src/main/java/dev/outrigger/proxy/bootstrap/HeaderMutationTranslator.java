package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HeaderMutations.AppendAction;
import dev.outrigger.proxy.config.HeaderMutations.HeaderValueOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code request/response_headers_to_add/remove}, at any of the levels that have them. */
final class HeaderMutationTranslator {
  /** RFC 9110 token; a leading colon marks an HTTP/2 pseudo-header. */
  private static final Pattern HEADER_NAME = Pattern.compile(":?[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final Translation translation;

  HeaderMutationTranslator(Translation translation) {
    this.translation = translation;
  }

  static boolean isHeaderName(String name) {
    return HEADER_NAME.matcher(name).matches();
  }

  HeaderMutations translate(
      List<io.envoyproxy.envoy.config.core.v3.HeaderValueOption> requestToAdd,
      List<String> requestToRemove,
      List<io.envoyproxy.envoy.config.core.v3.HeaderValueOption> responseToAdd,
      List<String> responseToRemove,
      FieldPath path) {
    return new HeaderMutations(
        adds(requestToAdd, path.field("request_headers_to_add")),
        removes(requestToRemove, path.field("request_headers_to_remove")),
        adds(responseToAdd, path.field("response_headers_to_add")),
        removes(responseToRemove, path.field("response_headers_to_remove")));
  }

  @SuppressWarnings("deprecation") // append: in the subset for older configs
  private List<HeaderValueOption> adds(
      List<io.envoyproxy.envoy.config.core.v3.HeaderValueOption> options, FieldPath path) {
    List<HeaderValueOption> result = new ArrayList<>();
    for (int i = 0; i < options.size(); i++) {
      io.envoyproxy.envoy.config.core.v3.HeaderValueOption option = options.get(i);
      FieldPath optionPath = path.index(i);
      String name = option.getHeader().getKey().toLowerCase(Locale.ROOT);
      if (!modifiable(name, optionPath.field("header").field("key"))) {
        continue;
      }
      if (option.hasAppend() && option.getAppendAction()
          != io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD) {
        translation.error(optionPath.field("append"), "cannot be combined with append_action");
        continue;
      }
      result.add(new HeaderValueOption(name, option.getHeader().getValue(), action(option)));
    }
    return result;
  }

  /** The deprecated {@code append} maps onto {@code append_action} as Envoy maps it. */
  @SuppressWarnings("deprecation")
  private static AppendAction action(io.envoyproxy.envoy.config.core.v3.HeaderValueOption option) {
    if (option.hasAppend()) {
      return option.getAppend().getValue()
          ? AppendAction.APPEND_IF_EXISTS_OR_ADD
          : AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
    }
    return AppendAction.valueOf(option.getAppendAction().name());
  }

  private List<String> removes(List<String> names, FieldPath path) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).toLowerCase(Locale.ROOT);
      if (!modifiable(name, path.index(i))) {
        continue;
      }
      if (name.equals("host")) {
        translation.error(path.index(i), "host cannot be removed");
        continue;
      }
      result.add(name);
    }
    return result;
  }

  private boolean modifiable(String name, FieldPath path) {
    if (!isHeaderName(name)) {
      translation.error(path, "invalid header name " + Translation.quote(name));
      return false;
    }
    if (name.startsWith(":")) {
      translation.error(path, "pseudo-header " + name + " cannot be modified");
      return false;
    }
    return true;
  }
}
