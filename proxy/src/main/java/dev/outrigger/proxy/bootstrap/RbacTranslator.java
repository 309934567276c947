package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.authz.CidrRange;
import dev.outrigger.proxy.authz.HttpRbacConfig;
import dev.outrigger.proxy.authz.NetworkRbacConfig;
import dev.outrigger.proxy.authz.Permission;
import dev.outrigger.proxy.authz.Policy;
import dev.outrigger.proxy.authz.Principal;
import dev.outrigger.proxy.authz.RbacRules;
import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Envoy's RBAC filters ({@code envoy.filters.network.rbac}, {@code envoy.filters.http.rbac} and
 * its {@code RBACPerRoute}) and their {@code config.rbac.v3.RBAC} rules → {@code authz} records.
 * The subset check has already rejected the fields and values outside the subset; this checks
 * what they mean.
 */
final class RbacTranslator {
  static final String NETWORK_RBAC = "envoy.filters.network.rbac";
  /** The pseudo-headers a request has here; others (e.g. {@code :scheme}) would never match. */
  private static final Set<String> PSEUDO_HEADERS = Set.of(":method", ":authority", ":path");

  private final Translation translation;

  RbacTranslator(Translation translation) {
    this.translation = translation;
  }

  /** The filters in front of a chain's terminal one, which may only be network RBAC filters. */
  List<NetworkRbacConfig> networkFilters(List<Filter> filters, FieldPath path) {
    List<NetworkRbacConfig> result = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      FieldPath configPath = path.index(i).field("typed_config");
      Filter filter = filters.get(i);
      if (!filter.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
        translation.error(path.index(i), "only " + NETWORK_RBAC + " may come before the terminal filter "
            + "(http_connection_manager or tcp_proxy), which must be last");
        continue;
      }
      translation.unpack(filter.getTypedConfig(), io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class, configPath)
          .flatMap(rbac -> network(rbac, configPath))
          .ifPresent(result::add);
    }
    return result;
  }

  Optional<NetworkRbacConfig> network(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC rbac, FieldPath path) {
    if (rbac.getStatPrefix().isEmpty()) {
      translation.error(path.field("stat_prefix"), "required");
      return Optional.empty();
    }
    // enforcement_type: the subset allows only ONE_TIME_ON_FIRST_BYTE, the default.
    return Optional.of(new NetworkRbacConfig(
        rbac.getStatPrefix(),
        rbac.hasRules() ? rules(rbac.getRules(), path.field("rules")) : Optional.empty(),
        rbac.hasShadowRules() ? rules(rbac.getShadowRules(), path.field("shadow_rules")) : Optional.empty()));
  }

  HttpRbacConfig http(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC rbac, FieldPath path) {
    return new HttpRbacConfig(
        rbac.hasRules() ? rules(rbac.getRules(), path.field("rules")) : Optional.empty(),
        rbac.hasShadowRules() ? rules(rbac.getShadowRules(), path.field("shadow_rules")) : Optional.empty());
  }

  /** A route's override; without {@code rbac} the filter is off for the route, as in Envoy. */
  HttpRbacConfig perRoute(RBACPerRoute perRoute, FieldPath path) {
    return perRoute.hasRbac() ? http(perRoute.getRbac(), path.field("rbac")) : HttpRbacConfig.DISABLED;
  }

  /** {@code http_filters} entry, for {@link HttpFilterRegistry}: empty when the rules have errors. */
  static Optional<HttpRbacConfig> httpFilter(
      io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC rbac, FieldPath path, Translation translation) {
    int errors = translation.errorCount();
    HttpRbacConfig config = new RbacTranslator(translation).http(rbac, path);
    return translation.errorCount() == errors ? Optional.of(config) : Optional.empty();
  }

  /** {@code typed_per_filter_config} override, for {@link HttpFilterRegistry}: empty when the rules have errors. */
  static Optional<HttpRbacConfig> httpPerRoute(RBACPerRoute perRoute, FieldPath path, Translation translation) {
    int errors = translation.errorCount();
    HttpRbacConfig config = new RbacTranslator(translation).perRoute(perRoute, path);
    return translation.errorCount() == errors ? Optional.of(config) : Optional.empty();
  }

  Optional<RbacRules> rules(RBAC rules, FieldPath path) {
    int errors = translation.errorCount();
    RbacRules.Action action = RbacRules.Action.valueOf(rules.getAction().name());
    List<Policy> policies = new ArrayList<>();
    // Sorted like Envoy's policy map, so the paths of errors come in a stable order.
    for (Map.Entry<String, io.envoyproxy.envoy.config.rbac.v3.Policy> entry : new TreeMap<>(rules.getPoliciesMap()).entrySet()) {
      policy(entry.getKey(), entry.getValue(), path.field("policies").key(entry.getKey())).ifPresent(policies::add);
    }
    return translation.errorCount() == errors ? Optional.of(new RbacRules(action, policies)) : Optional.empty();
  }

  private Optional<Policy> policy(String name, io.envoyproxy.envoy.config.rbac.v3.Policy policy, FieldPath path) {
    List<Permission> permissions = list(policy.getPermissionsList(), path.field("permissions"), this::permission);
    List<Principal> principals = list(policy.getPrincipalsList(), path.field("principals"), this::principal);
    return Optional.of(new Policy(name, permissions, principals));
  }

  /** A non-empty list of rules or ids (Envoy's {@code min_items: 1}), translated one by one. */
  private <P, R> List<R> list(List<P> items, FieldPath path, BiFunction<P, FieldPath, Optional<R>> translate) {
    if (items.isEmpty()) {
      translation.error(path, "required: at least one entry");
    }
    List<R> result = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      translate.apply(items.get(i), path.index(i)).ifPresent(result::add);
    }
    return result;
  }

  private Optional<Permission> permission(io.envoyproxy.envoy.config.rbac.v3.Permission permission, FieldPath path) {
    switch (permission.getRuleCase()) {
      case ANY:
        return anyMustBeTrue(permission.getAny(), path).map(any -> new Permission.Any());
      case AND_RULES:
        return Optional.of(new Permission.AndRules(
            list(permission.getAndRules().getRulesList(), path.field("and_rules").field("rules"), this::permission)));
      case OR_RULES:
        return Optional.of(new Permission.OrRules(
            list(permission.getOrRules().getRulesList(), path.field("or_rules").field("rules"), this::permission)));
      case NOT_RULE:
        return permission(permission.getNotRule(), path.field("not_rule")).map(Permission.NotRule::new);
      case HEADER:
        return header(permission.getHeader(), path.field("header")).map(Permission.Header::new);
      case URL_PATH:
        return new StringMatcherTranslator(translation)
            .translate(permission.getUrlPath().getPath(), path.field("url_path").field("path"))
            .map(Permission.UrlPath::new);
      case DESTINATION_PORT:
        int port = permission.getDestinationPort();
        if (port < 1 || port > 65535) {
          translation.error(path.field("destination_port"), "must be between 1 and 65535");
          return Optional.empty();
        }
        return Optional.of(new Permission.DestinationPort(port));
      case DESTINATION_IP:
        return cidr(permission.getDestinationIp(), path.field("destination_ip")).map(Permission.DestinationIp::new);
      default:
        translation.oneOfRequired(path, "one of any, and_rules, or_rules, not_rule, header, url_path, destination_port, "
            + "destination_ip is required");
        return Optional.empty();
    }
  }

  private Optional<Principal> principal(io.envoyproxy.envoy.config.rbac.v3.Principal principal, FieldPath path) {
    switch (principal.getIdentifierCase()) {
      case ANY:
        return anyMustBeTrue(principal.getAny(), path).map(any -> new Principal.Any());
      case AUTHENTICATED:
        if (!principal.getAuthenticated().hasPrincipalName()) {
          return Optional.of(new Principal.Authenticated(Optional.empty()));
        }
        return new StringMatcherTranslator(translation)
            .translate(principal.getAuthenticated().getPrincipalName(), path.field("authenticated").field("principal_name"))
            .map(name -> new Principal.Authenticated(Optional.of(name)));
      case AND_IDS:
        return Optional.of(new Principal.AndIds(
            list(principal.getAndIds().getIdsList(), path.field("and_ids").field("ids"), this::principal)));
      case OR_IDS:
        return Optional.of(new Principal.OrIds(
            list(principal.getOrIds().getIdsList(), path.field("or_ids").field("ids"), this::principal)));
      case NOT_ID:
        return principal(principal.getNotId(), path.field("not_id")).map(Principal.NotId::new);
      case HEADER:
        return header(principal.getHeader(), path.field("header")).map(Principal.Header::new);
      case DIRECT_REMOTE_IP:
        return cidr(principal.getDirectRemoteIp(), path.field("direct_remote_ip")).map(Principal.DirectRemoteIp::new);
      case REMOTE_IP:
        return cidr(principal.getRemoteIp(), path.field("remote_ip")).map(Principal.RemoteIp::new);
      default:
        translation.oneOfRequired(path, "one of any, authenticated, and_ids, or_ids, not_id, header, direct_remote_ip, "
            + "remote_ip is required");
        return Optional.empty();
    }
  }

  /** Envoy's {@code any} must be true ({@code const: true}); false would match nothing by accident. */
  private Optional<Boolean> anyMustBeTrue(boolean any, FieldPath path) {
    if (!any) {
      translation.error(path.field("any"), "must be true");
      return Optional.empty();
    }
    return Optional.of(true);
  }

  private Optional<HeaderMatcher> header(io.envoyproxy.envoy.config.route.v3.HeaderMatcher matcher, FieldPath path) {
    String name = matcher.getName();
    if (name.startsWith(":") && !PSEUDO_HEADERS.contains(name)) {
      translation.error(path.field("name"), "pseudo-header " + name + " is not supported here (supported: "
          + String.join(", ", new TreeSet<>(PSEUDO_HEADERS)) + ")");
      return Optional.empty();
    }
    return new HeaderMatcherTranslator(translation).translate(matcher, path);
  }

  /** An address prefix: an IP literal (never resolved) and a length that fits it (default: all bits). */
  private Optional<CidrRange> cidr(io.envoyproxy.envoy.config.core.v3.CidrRange range, FieldPath path) {
    Optional<InetAddress> address = SocketAddresses.ipLiteral(range.getAddressPrefix(), path.field("address_prefix"), translation);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int bits = address.get().getAddress().length * 8;
    int length = range.hasPrefixLen() ? range.getPrefixLen().getValue() : bits;
    if (length < 0 || length > bits) {
      translation.error(path.field("prefix_len"), "must be between 0 and " + bits + " for " + range.getAddressPrefix());
      return Optional.empty();
    }
    return Optional.of(new CidrRange(address.get(), length));
  }
}
