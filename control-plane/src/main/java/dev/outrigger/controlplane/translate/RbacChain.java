package dev.outrigger.controlplane.translate;

import com.google.protobuf.Any;
import dev.outrigger.controlplane.model.AuthorizationPolicy;
import dev.outrigger.controlplane.model.EffectivePolicy;
import dev.outrigger.controlplane.model.Glob;
import dev.outrigger.controlplane.model.MeshConfig;
import dev.outrigger.controlplane.model.Service;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A service's {@link EffectivePolicy} as the chain of {@code envoy.filters.http.rbac} filters
 * that must all pass: one DENY filter (operator then application DENY policies), one ALLOW filter
 * per non-empty ALLOW tier, or, with no ALLOW policy and a DENY default, an ALLOW filter without
 * policies. Policy names are {@code <tier>-<index>-<namespace>/<name>[<rule>]}, so the proxy's
 * name order is the tier's order.
 */
final class RbacChain {
  private static final String FILTER = "envoy.filters.http.rbac";
  private static final String NETWORK_FILTER = "envoy.filters.network.rbac";
  private static final Permission ANY = Permission.newBuilder().setAny(true).build();
  private static final Permission NEVER = Permission.newBuilder().setNotRule(ANY).build();

  private final EffectivePolicy effective;
  private final Service service;

  RbacChain(EffectivePolicy effective, Service service) {
    this.effective = effective;
    this.service = service;
  }

  /** The HTTP RBAC filters of the inbound connection manager. */
  List<HttpFilter> filters() {
    return tiers((action, operation) -> permission(operation)).stream()
        .map(tier -> HttpFilter.newBuilder().setName(FILTER + "." + tier.name()).setTypedConfig(Any.pack(
            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(tier.rules()).build()))
            .build())
        .toList();
  }

  /**
   * The same chain as network RBAC filters for the TCP port {@code port}, which has no paths or
   * methods: an operation naming them never matches in an ALLOW policy and, as in Istio, matches
   * without them in a DENY policy (denying more rather than less); its ports are this port or not.
   */
  List<Filter> tcpFilters(int port) {
    return tiers((action, operation) -> tcpPermission(action, operation, port)).stream()
        .map(tier -> Filter.newBuilder().setName(NETWORK_FILTER).setTypedConfig(Any.pack(
            io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
                .setStatPrefix("inbound_tcp_" + port + "_" + tier.name() + ".").setRules(tier.rules()).build()))
            .build())
        .toList();
  }

  private record Tier(String name, RBAC rules) {}

  private List<Tier> tiers(BiFunction<RBAC.Action, AuthorizationPolicy.Operation, Permission> permissions) {
    List<Tier> tiers = new ArrayList<>();
    List<AuthorizationPolicy> denies = new ArrayList<>(effective.operatorDenies());
    denies.addAll(effective.applicationDenies());
    if (!denies.isEmpty()) {
      tiers.add(new Tier("deny", rules(RBAC.Action.DENY, denies, permissions)));
    }
    if (!effective.operatorAllows().isEmpty()) {
      tiers.add(new Tier("operator-allow", rules(RBAC.Action.ALLOW, effective.operatorAllows(), permissions)));
    }
    if (!effective.applicationAllows().isEmpty()) {
      tiers.add(new Tier("application-allow", rules(RBAC.Action.ALLOW, effective.applicationAllows(), permissions)));
    }
    if (effective.operatorAllows().isEmpty() && effective.applicationAllows().isEmpty()
        && effective.meshDefault() == MeshConfig.InboundPolicy.DENY) {
      tiers.add(new Tier("default-deny", RBAC.newBuilder().setAction(RBAC.Action.ALLOW).build()));
    }
    return tiers;
  }

  private static Permission tcpPermission(RBAC.Action action, AuthorizationPolicy.Operation operation, int port) {
    boolean otherPort = !operation.ports().isEmpty() && !operation.ports().contains(port);
    boolean httpOnly = !operation.paths().isEmpty() || !operation.methods().isEmpty();
    return otherPort || (httpOnly && action == RBAC.Action.ALLOW) ? NEVER : ANY;
  }

  private RBAC rules(RBAC.Action action, List<AuthorizationPolicy> policies,
      BiFunction<RBAC.Action, AuthorizationPolicy.Operation, Permission> permissions) {
    RBAC.Builder rbac = RBAC.newBuilder().setAction(action);
    int width = String.valueOf(policies.size()).length();
    for (int p = 0; p < policies.size(); p++) {
      AuthorizationPolicy policy = policies.get(p);
      for (int r = 0; r < policy.rules().size(); r++) {
        String name = String.format("%0" + width + "d-%s/%s[%d]", p, policy.metadata().namespace(),
            policy.metadata().name(), r);
        rbac.putPolicies(name, policy(policy.rules().get(r), operation -> permissions.apply(action, operation)));
      }
    }
    return rbac.build();
  }

  private Policy policy(AuthorizationPolicy.Rule rule, Function<AuthorizationPolicy.Operation, Permission> permissions) {
    Policy.Builder policy = Policy.newBuilder();
    if (rule.from().isEmpty()) {
      policy.addPrincipals(Principal.newBuilder().setAny(true));
    }
    rule.from().forEach(source -> policy.addPrincipals(principal(source)));
    if (rule.to().isEmpty()) {
      policy.addPermissions(ANY);
    }
    rule.to().forEach(operation -> policy.addPermissions(permissions.apply(operation)));
    return policy.build();
  }

  /** Every list given must match (and), any entry of a list (or). */
  private Principal principal(AuthorizationPolicy.Source source) {
    String workloads = "spiffe://" + effective.trustDomain() + "/ns/";
    List<Principal> all = new ArrayList<>();
    addAny(all, source.spiffeIds(), id -> peer(glob(id)), RbacChain::orIds);
    addAny(all, source.namespaces(), ns -> peer(StringMatcher.newBuilder()
        .setSafeRegex(RouteMatches.regex(Pattern.quote(workloads + ns + "/sa/") + "[^/]+")).build()), RbacChain::orIds);
    addAny(all, source.serviceAccounts(), account -> peer(StringMatcher.newBuilder()
        .setExact(workloads + account.replaceFirst("/", "/sa/")).build()), RbacChain::orIds);
    return all.size() == 1 ? all.get(0)
        : Principal.newBuilder().setAndIds(Principal.Set.newBuilder().addAllIds(all)).build();
  }

  private Permission permission(AuthorizationPolicy.Operation operation) {
    List<Permission> all = new ArrayList<>();
    addAny(all, operation.paths(), path -> Permission.newBuilder()
        .setUrlPath(PathMatcher.newBuilder().setPath(glob(path))).build(), RbacChain::orRules);
    addAny(all, operation.methods(), method -> Permission.newBuilder().setHeader(HeaderMatcher.newBuilder()
        .setName(":method").setStringMatch(StringMatcher.newBuilder().setExact(method))).build(), RbacChain::orRules);
    addAny(all, operation.ports(), this::port, RbacChain::orRules);
    return all.size() == 1 ? all.get(0)
        : Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addAllRules(all)).build();
  }

  /**
   * Every request reaches the inbound listener's one port, so the service port called is the
   * authority's: {@code host:port}, or a bare host for the service's first (default) port.
   */
  private Permission port(int port) {
    boolean isDefault = service.ports().get(0).port() == port;
    String regex = "[^:]*" + (isDefault ? "(:" + port + ")?" : ":" + port);
    return Permission.newBuilder().setHeader(HeaderMatcher.newBuilder().setName(":authority")
        .setStringMatch(StringMatcher.newBuilder().setSafeRegex(RouteMatches.regex(regex)))).build();
  }

  private static Principal peer(StringMatcher id) {
    return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(id)).build();
  }

  /** A {@code *} glob as the simplest matcher: exact, prefix, suffix, else a regex. */
  private static StringMatcher glob(String glob) {
    int stars = glob.length() - glob.replace("*", "").length();
    if (stars == 0) {
      return StringMatcher.newBuilder().setExact(glob).build();
    }
    if (stars == 1 && glob.endsWith("*") && glob.length() > 1) {
      return StringMatcher.newBuilder().setPrefix(glob.substring(0, glob.length() - 1)).build();
    }
    if (stars == 1 && glob.startsWith("*") && glob.length() > 1) {
      return StringMatcher.newBuilder().setSuffix(glob.substring(1)).build();
    }
    return StringMatcher.newBuilder().setSafeRegex(RouteMatches.regex(Glob.regex(glob))).build();
  }

  private static <T, M> void addAny(List<M> all, List<T> values, Function<T, M> each, Function<List<M>, M> or) {
    if (values.isEmpty()) {
      return;
    }
    List<M> any = values.stream().map(each).toList();
    all.add(any.size() == 1 ? any.get(0) : or.apply(any));
  }

  private static Principal orIds(List<Principal> ids) {
    return Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(ids)).build();
  }

  private static Permission orRules(List<Permission> rules) {
    return Permission.newBuilder().setOrRules(Permission.Set.newBuilder().addAllRules(rules)).build();
  }
}
