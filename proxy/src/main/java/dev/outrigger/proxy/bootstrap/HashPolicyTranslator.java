package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.HashPolicy;
import dev.outrigger.proxy.config.HashPolicy.Source;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A route's {@code hash_policy} list. A cookie's {@code ttl} is rejected by the subset check. */
final class HashPolicyTranslator {
  private final Translation translation;

  HashPolicyTranslator(Translation translation) {
    this.translation = translation;
  }

  List<HashPolicy> translate(List<RouteAction.HashPolicy> policies, FieldPath path) {
    List<HashPolicy> result = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      policy(policies.get(i), path.index(i)).ifPresent(result::add);
    }
    return result;
  }

  private Optional<HashPolicy> policy(RouteAction.HashPolicy policy, FieldPath path) {
    boolean terminal = policy.getTerminal();
    switch (policy.getPolicySpecifierCase()) {
      case HEADER:
        return header(policy.getHeader().getHeaderName(), path.field("header").field("header_name"))
            .map(name -> new HashPolicy(Source.HEADER, name, terminal));
      case COOKIE:
        return named(policy.getCookie().getName(), path.field("cookie").field("name"))
            .map(name -> new HashPolicy(Source.COOKIE, name, terminal));
      case QUERY_PARAMETER:
        return named(policy.getQueryParameter().getName(), path.field("query_parameter").field("name"))
            .map(name -> new HashPolicy(Source.QUERY_PARAMETER, name, terminal));
      case CONNECTION_PROPERTIES:
        // source_ip: false hashes nothing, as in Envoy.
        return policy.getConnectionProperties().getSourceIp()
            ? Optional.of(new HashPolicy(Source.SOURCE_IP, "", terminal))
            : Optional.empty();
      default:
        translation.error(path, "one of header, cookie, connection_properties, query_parameter is required");
        return Optional.empty();
    }
  }

  /** Lower case; {@code :authority} is the {@code host} header here, other pseudo-headers are rejected. */
  private Optional<String> header(String name, FieldPath path) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals(":authority")) {
      return Optional.of("host");
    }
    if (lower.startsWith(":")) {
      translation.error(path, "pseudo-header " + Translation.quote(name) + " cannot be hashed (only :authority)");
      return Optional.empty();
    }
    return named(lower, path);
  }

  private Optional<String> named(String name, FieldPath path) {
    if (name.isEmpty()) {
      translation.error(path, "required");
      return Optional.empty();
    }
    return Optional.of(name);
  }
}
