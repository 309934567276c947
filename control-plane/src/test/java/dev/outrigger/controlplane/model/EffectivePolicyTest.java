package dev.outrigger.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.model.AuthorizationPolicy.Action;
import dev.outrigger.controlplane.model.AuthorizationPolicy.Operation;
import dev.outrigger.controlplane.model.AuthorizationPolicy.Rule;
import dev.outrigger.controlplane.model.AuthorizationPolicy.Source;
import dev.outrigger.controlplane.model.EffectivePolicy.Decision;
import dev.outrigger.controlplane.model.EffectivePolicy.Request;
import dev.outrigger.controlplane.model.MeshConfig.InboundPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The precedence of authorization policies, as a table: policies, default, request → decision. */
class EffectivePolicyTest {
  static final ServiceKey CART = new ServiceKey("shop", "cart");
  static final String ROOT = "outrigger-system";
  static final String FRONTEND = "spiffe://cluster.local/ns/shop/sa/frontend";
  static final String SHOP_OTHER = "spiffe://cluster.local/ns/shop/sa/other";
  static final String SANDBOX = "spiffe://cluster.local/ns/sandbox/sa/x";
  static final String OPS = "spiffe://cluster.local/ns/ops/sa/x";
  static final Request GET = new Request(FRONTEND, "/cart", "GET", 8080);

  static Stream<Arguments> table() {
    return Stream.of(
        row("no policy, default ALLOW", InboundPolicy.ALLOW, List.of(), GET, true, "mesh default ALLOW"),
        row("no policy, default DENY", InboundPolicy.DENY, List.of(), GET, false, "mesh default DENY"),
        row("application ALLOW matches", InboundPolicy.DENY,
            List.of(policy("shop", Action.ALLOW, null, from(sa("shop/frontend")))), GET, true, "allowed by policy"),
        row("an ALLOW policy that does not match denies even under default ALLOW", InboundPolicy.ALLOW,
            List.of(policy("shop", Action.ALLOW, null, from(sa("shop/frontend")))), as(GET, OPS), false,
            "no application ALLOW policy matches"),
        row("application DENY wins over application ALLOW", InboundPolicy.ALLOW,
            List.of(policy("shop", Action.ALLOW, "cart", new Rule(List.of(), List.of())),
                named(policy("shop", Action.DENY, null, from(ns("sandbox"))), "no-sandbox")),
            as(GET, SANDBOX), false, "denied by AuthorizationPolicy shop/no-sandbox"),
        row("operator DENY cannot be loosened by an application ALLOW", InboundPolicy.ALLOW,
            List.of(named(policy(ROOT, Action.DENY, null, from(ns("sandbox"))), "deny-sandbox"),
                policy("shop", Action.ALLOW, "cart", from(ns("sandbox")))),
            as(GET, SANDBOX), false, "denied by AuthorizationPolicy outrigger-system/deny-sandbox"),
        row("operator DENY is checked before application DENY", InboundPolicy.ALLOW,
            List.of(named(policy("shop", Action.DENY, null, from(ns("sandbox"))), "a-app"),
                named(policy(ROOT, Action.DENY, null, from(ns("sandbox"))), "z-root")),
            as(GET, SANDBOX), false, "denied by AuthorizationPolicy outrigger-system/z-root"),
        row("an application ALLOW cannot widen the operator's", InboundPolicy.ALLOW,
            List.of(policy(ROOT, Action.ALLOW, null, from(ns("shop"))),
                policy("shop", Action.ALLOW, "cart", from(ns("ops")))),
            as(GET, OPS), false, "no operator ALLOW policy matches"),
        row("an application ALLOW narrows the operator's", InboundPolicy.ALLOW,
            List.of(policy(ROOT, Action.ALLOW, null, from(ns("shop"))),
                policy("shop", Action.ALLOW, "cart", from(sa("shop/frontend")))),
            as(GET, SHOP_OTHER), false, "no application ALLOW policy matches"),
        row("operator ALLOW alone decides over default DENY", InboundPolicy.DENY,
            List.of(policy(ROOT, Action.ALLOW, null, from(ns("shop")))), as(GET, SHOP_OTHER), true,
            "allowed by policy"),
        row("untargeted policies of other namespaces do not apply", InboundPolicy.ALLOW,
            List.of(policy("ops", Action.DENY, null, new Rule(List.of(), List.of()))), GET, true,
            "mesh default ALLOW"),
        row("policies targeting another service do not apply", InboundPolicy.ALLOW,
            List.of(policy("shop", Action.DENY, "inventory", new Rule(List.of(), List.of()))), GET, true,
            "mesh default ALLOW"),
        row("an operator policy may target a service of any namespace", InboundPolicy.ALLOW,
            List.of(named(targeting(policy(ROOT, Action.DENY, null, to(new Operation(List.of("/admin*"),
                List.of(), List.of()))), CART), "no-admin")),
            new Request(FRONTEND, "/admin/users", "GET", 8080), false,
            "denied by AuthorizationPolicy outrigger-system/no-admin"),
        row("SPIFFE ID globs", InboundPolicy.DENY,
            List.of(policy("shop", Action.ALLOW, null, from(id("spiffe://cluster.local/ns/shop/*")))),
            as(GET, SHOP_OTHER), true, "allowed by policy"),
        row("SPIFFE ID globs are anchored", InboundPolicy.DENY,
            List.of(policy("shop", Action.ALLOW, null, from(id("spiffe://cluster.local/ns/shop/*")))),
            as(GET, "spiffe://evil.org/x/spiffe://cluster.local/ns/shop/sa/y"), false,
            "no application ALLOW policy matches"),
        row("namespaces match only in the mesh's trust domain", InboundPolicy.DENY,
            List.of(policy("shop", Action.ALLOW, null, from(ns("shop")))),
            as(GET, "spiffe://evil.org/ns/shop/sa/frontend"), false, "no application ALLOW policy matches"),
        row("an unauthenticated caller matches no identity", InboundPolicy.DENY,
            List.of(policy("shop", Action.ALLOW, null, from(ns("shop")))), as(GET, ""), false,
            "no application ALLOW policy matches"),
        row("an empty rule matches even an unauthenticated caller", InboundPolicy.DENY,
            List.of(policy("shop", Action.ALLOW, null, new Rule(List.of(), List.of()))), as(GET, ""), true,
            "allowed by policy"),
        row("operation: every given list must match", InboundPolicy.ALLOW,
            List.of(named(policy("shop", Action.DENY, null, to(new Operation(List.of("/admin/*"),
                List.of("DELETE"), List.of(8080)))), "no-delete")),
            new Request(FRONTEND, "/admin/x", "GET", 8080), true, "mesh default ALLOW"),
        row("operation: all of paths, methods, ports", InboundPolicy.ALLOW,
            List.of(named(policy("shop", Action.DENY, null, to(new Operation(List.of("/admin/*"),
                List.of("DELETE"), List.of(8080)))), "no-delete")),
            new Request(FRONTEND, "/admin/x", "DELETE", 8080), false,
            "denied by AuthorizationPolicy shop/no-delete"),
        row("source: every given list must match", InboundPolicy.DENY,
            List.of(policy("shop", Action.ALLOW, null, from(new Source(List.of(), List.of("shop"),
                List.of("shop/frontend"))))),
            as(GET, SHOP_OTHER), false, "no application ALLOW policy matches"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String description, InboundPolicy meshDefault, List<AuthorizationPolicy> policies,
      Request request, boolean allowed, String reason) {
    List<Resource> resources = new ArrayList<>(policies);
    resources.add(new MeshConfig(new Metadata("default", "", Map.of()), "cluster.local",
        MeshConfig.DEFAULT_CERTIFICATE_TTL, meshDefault, ROOT));
    EffectivePolicy effective = EffectivePolicy.forService(MeshModel.of(resources), CART);
    assertThat(effective.evaluate(request)).isEqualTo(new Decision(allowed, reason));
  }

  private static Arguments row(String description, InboundPolicy meshDefault,
      List<AuthorizationPolicy> policies, Request request, boolean allowed, String reason) {
    return Arguments.of(description, meshDefault, policies, request, allowed, reason);
  }

  private static int counter;

  private static AuthorizationPolicy policy(String namespace, Action action, String target, Rule rule) {
    return new AuthorizationPolicy(new Metadata("p" + counter++, namespace, Map.of()), action,
        Optional.ofNullable(target).map(name -> new ServiceKey(namespace, name)), List.of(rule));
  }

  private static AuthorizationPolicy named(AuthorizationPolicy policy, String name) {
    return new AuthorizationPolicy(new Metadata(name, policy.metadata().namespace(), Map.of()),
        policy.action(), policy.target(), policy.rules());
  }

  private static AuthorizationPolicy targeting(AuthorizationPolicy policy, ServiceKey target) {
    return new AuthorizationPolicy(policy.metadata(), policy.action(), Optional.of(target), policy.rules());
  }

  private static Rule from(Source source) {
    return new Rule(List.of(source), List.of());
  }

  private static Rule to(Operation operation) {
    return new Rule(List.of(), List.of(operation));
  }

  private static Source ns(String namespace) {
    return new Source(List.of(), List.of(namespace), List.of());
  }

  private static Source sa(String account) {
    return new Source(List.of(), List.of(), List.of(account));
  }

  private static Source id(String glob) {
    return new Source(List.of(glob), List.of(), List.of());
  }

  private static Request as(Request request, String peer) {
    return new Request(peer, request.path(), request.method(), request.port());
  }
}
