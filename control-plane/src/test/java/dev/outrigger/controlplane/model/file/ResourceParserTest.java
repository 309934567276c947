package dev.outrigger.controlplane.model.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.model.AuthorizationPolicy;
import dev.outrigger.controlplane.model.BackendRef;
import dev.outrigger.controlplane.model.GrpcRoute;
import dev.outrigger.controlplane.model.HeaderMatch;
import dev.outrigger.controlplane.model.HeaderModifier;
import dev.outrigger.controlplane.model.HttpRoute;
import dev.outrigger.controlplane.model.MeshConfig;
import dev.outrigger.controlplane.model.Metadata;
import dev.outrigger.controlplane.model.ParentRef;
import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.RouteFilter;
import dev.outrigger.controlplane.model.Service;
import dev.outrigger.controlplane.model.ServiceKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each kind parsed into its records; each kind of problem with its exact message. */
class ResourceParserTest {
  static final String ROUTE_HEAD = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
      + "metadata: {name: cart-v2, namespace: shop}\n";

  final ResourceParser parser = new ResourceParser();

  @Test
  void meshConfigWithDefaultsAndValues() {
    assertThat(only("apiVersion: outrigger.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: default}\n"
        + "spec: {}\n")).isEqualTo(MeshConfig.defaults());
    assertThat(only("apiVersion: outrigger.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: mesh}\n"
        + "spec: {trustDomain: example.org, certificateTTL: 1h30m, defaultInboundPolicy: DENY,"
        + " rootNamespace: ops}\n"))
        .isEqualTo(new MeshConfig(new Metadata("mesh", "", Map.of()), "example.org",
            Duration.ofMinutes(90), MeshConfig.InboundPolicy.DENY, "ops"));
  }

  @Test
  void serviceWithPortsAndEndpoints() {
    assertThat(only("apiVersion: outrigger.dev/v1alpha1\nkind: Service\n"
        + "metadata: {name: cart, labels: {app: cart}}\n"
        + "spec:\n  ports: [{name: http, port: 80, protocol: http}, {name: rpc, port: 90, protocol: grpc}]\n"
        + "  endpoints: [{address: 10.0.0.1, ports: {http: 8080}}]\n"))
        .isEqualTo(new Service(new Metadata("cart", "default", Map.of("app", "cart")),
            List.of(new Service.Port("http", 80, Service.Protocol.HTTP),
                new Service.Port("rpc", 90, Service.Protocol.GRPC)),
            List.of(new Service.Endpoint("10.0.0.1", Map.of("http", 8080)))));
  }

  @Test
  void httpRouteWithEveryPart() {
    HttpRoute route = (HttpRoute) only(ROUTE_HEAD + "spec:\n"
        + "  parentRefs: [{group: '', kind: Service, name: cart, port: 80}]\n"
        + "  rules:\n"
        + "  - matches:\n"
        + "    - path: {type: RegularExpression, value: '/c/[0-9]+'}\n"
        + "      headers: [{name: x-user, value: bob}]\n"
        + "      queryParams: [{type: RegularExpression, name: v, value: '2|3'}]\n"
        + "      method: POST\n"
        + "    filters:\n"
        + "    - type: RequestHeaderModifier\n"
        + "      requestHeaderModifier: {set: [{name: a, value: b}], add: [{name: c, value: d}], remove: [e]}\n"
        + "    - type: URLRewrite\n"
        + "      urlRewrite: {hostname: cart.internal, path: {type: ReplaceFullPath, replaceFullPath: /x}}\n"
        + "    - type: RequestMirror\n"
        + "      requestMirror: {backendRef: {name: audit, namespace: ops, port: 81}, percent: 10}\n"
        + "    backendRefs: [{name: cart, port: 80, weight: 3}, {name: cart-v2, port: 80}]\n"
        + "    timeouts: {request: 5s, backendRequest: 500ms}\n"
        + "    retry: {codes: [503], attempts: 3, backoff: 1s}\n"
        + "  - filters:\n"
        + "    - type: RequestRedirect\n"
        + "      requestRedirect: {scheme: https, hostname: shop.example, port: 443, statusCode: 301}\n");
    assertThat(route.parentRefs()).containsExactly(new ParentRef("shop", "cart", OptionalInt.of(80)));
    HttpRoute.Rule first = route.rules().get(0);
    assertThat(first.matches()).containsExactly(new HttpRoute.Match(
        new HttpRoute.PathMatch(HttpRoute.PathMatch.Type.REGULAR_EXPRESSION, "/c/[0-9]+"),
        List.of(new HeaderMatch(HeaderMatch.MatchType.EXACT, "x-user", "bob")),
        List.of(new HeaderMatch(HeaderMatch.MatchType.REGULAR_EXPRESSION, "v", "2|3")),
        Optional.of("POST")));
    assertThat(first.filters()).containsExactly(
        new RouteFilter.RequestHeaderModifier(new HeaderModifier(Map.of("a", "b"), Map.of("c", "d"), List.of("e"))),
        new RouteFilter.UrlRewrite(Optional.of("cart.internal"), Optional.of(new RouteFilter.PathModifier(
            RouteFilter.PathModifier.Type.REPLACE_FULL_PATH, "/x"))),
        new RouteFilter.RequestMirror(new BackendRef("ops", "audit", 81, 1), 10, 100));
    assertThat(first.backendRefs()).containsExactly(new BackendRef("shop", "cart", 80, 3),
        new BackendRef("shop", "cart-v2", 80, 1));
    assertThat(first.timeouts()).isEqualTo(new HttpRoute.Timeouts(Optional.of(Duration.ofSeconds(5)),
        Optional.of(Duration.ofMillis(500))));
    assertThat(first.retry()).contains(new HttpRoute.Retry(List.of(503), OptionalInt.of(3),
        Optional.of(Duration.ofSeconds(1))));
    assertThat(route.rules().get(1).filters()).containsExactly(new RouteFilter.RequestRedirect(
        Optional.of("https"), Optional.of("shop.example"), Optional.empty(), OptionalInt.of(443), 301));
    assertThat(route.rules().get(1).matches()).extracting(HttpRoute.Match::path)
        .containsExactly(HttpRoute.PathMatch.ANY);
  }

  @Test
  void grpcRoute() {
    GrpcRoute route = (GrpcRoute) only("apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\n"
        + "metadata: {name: inv, namespace: shop}\n"
        + "spec:\n  parentRefs: [{kind: Service, name: inventory}]\n"
        + "  rules:\n  - matches: [{method: {type: RegularExpression, service: 'inv\\..*'}}]\n"
        + "    backendRefs: [{name: inventory, port: 9090}]\n");
    assertThat(route.rules().get(0)).isEqualTo(new GrpcRoute.Rule(Optional.empty(),
        List.of(new GrpcRoute.Match(Optional.of(new GrpcRoute.MethodMatch(
            HeaderMatch.MatchType.REGULAR_EXPRESSION, Optional.of("inv\\..*"), Optional.empty())), List.of())),
        List.of(), List.of(new BackendRef("shop", "inventory", 9090, 1))));
  }

  @Test
  void authorizationPolicy() {
    assertThat(only("apiVersion: outrigger.dev/v1alpha1\nkind: AuthorizationPolicy\n"
        + "metadata: {name: p, namespace: shop}\n"
        + "spec:\n  action: DENY\n  targetRef: {kind: Service, name: cart}\n"
        + "  rules:\n  - from: [{spiffeIds: ['spiffe://td/ns/x/*'], namespaces: [x], serviceAccounts: [x/y]}]\n"
        + "    to: [{paths: [/admin*], methods: [DELETE], ports: [80]}]\n  - {}\n"))
        .isEqualTo(new AuthorizationPolicy(new Metadata("p", "shop", Map.of()),
            AuthorizationPolicy.Action.DENY, Optional.of(new ServiceKey("shop", "cart")), List.of(
                new AuthorizationPolicy.Rule(
                    List.of(new AuthorizationPolicy.Source(List.of("spiffe://td/ns/x/*"), List.of("x"), List.of("x/y"))),
                    List.of(new AuthorizationPolicy.Operation(List.of("/admin*"), List.of("DELETE"), List.of(80)))),
                new AuthorizationPolicy.Rule(List.of(), List.of()))));
  }

  @Test
  void multiDocumentFilesSkipEmptyDocuments() {
    ParsedFile file = parser.parse("f.yaml", "---\n" + service("a") + "---\n---\n" + service("b"));
    assertThat(file.problems()).isEmpty();
    assertThat(file.resources()).extracting(r -> r.metadata().name()).containsExactly("a", "b");
  }

  /** A route document with one spec line changed, and the one problem it must report. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // unknown fields, at every depth
      "  rules: [{backendRefs: [{name: cart, port: 80, wieght: 1}]}]|spec.rules[0].backendRefs[0].wieght: unknown field",
      "  hostnames: [cart]|spec.hostnames: unknown field",
      // ranges and types
      "  rules: [{backendRefs: [{name: a, port: 80}, {name: b, port: 80, weight: -1}]}]|spec.rules[0].backendRefs[1].weight: must be >= 0",
      "  rules: [{backendRefs: [{name: a, port: 70000}]}]|spec.rules[0].backendRefs[0].port: must be <= 65535",
      "  rules: [{backendRefs: [{name: a, port: eighty}]}]|spec.rules[0].backendRefs[0].port: must be an integer",
      "  rules: {backendRefs: []}|spec.rules: must be a list",
      // required fields
      "  rules: [{backendRefs: [{name: a}]}]|spec.rules[0].backendRefs[0].port: required",
      "  rules: [{filters: [{}]}]|spec.rules[0].filters[0].type: required",
      "  rules: [{filters: [{requestHeaderModifier: {}}]}]|spec.rules[0].filters[0].type: required\\nmesh/routes.yaml: HTTPRoute shop/cart-v2: spec.rules[0].filters[0].requestHeaderModifier: must not be set without a matching type",
      // enum values
      "  rules: [{matches: [{path: {type: Prefix, value: /}}]}]|spec.rules[0].matches[0].path.type: must be one of Exact, PathPrefix, RegularExpression, not \"Prefix\"",
      "  rules: [{matches: [{method: FETCH}]}]|spec.rules[0].matches[0].method: must be one of CONNECT, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE, not \"FETCH\"",
      "  rules: [{filters: [{type: ExtensionRef}]}]|spec.rules[0].filters[0].type: must be one of RequestHeaderModifier, ResponseHeaderModifier, URLRewrite, RequestRedirect, RequestMirror, not \"ExtensionRef\"",
      // unions and formats
      "  rules: [{filters: [{type: URLRewrite, urlRewrite: {}, requestMirror: {}}]}]|spec.rules[0].filters[0].requestMirror: must not be set when type is URLRewrite",
      "  rules: [{filters: [{type: RequestMirror}]}]|spec.rules[0].filters[0].requestMirror: required when type is RequestMirror",
      "  rules: [{filters: [{type: RequestHeaderModifier, requestHeaderModifier: {}}, {type: RequestHeaderModifier, requestHeaderModifier: {}}]}]|spec.rules[0].filters[1].type: RequestHeaderModifier may appear only once in a rule",
      "  rules: [{filters: [{type: URLRewrite, urlRewrite: {}}, {type: RequestRedirect, requestRedirect: {}}]}]|spec.rules[0].filters[1].type: URLRewrite and RequestRedirect cannot be in the same rule",
      "  rules: [{filters: [{type: RequestRedirect, requestRedirect: {}}], backendRefs: [{name: a, port: 80}]}]|spec.rules[0].backendRefs: must be empty in a rule with a RequestRedirect filter",
      "  rules: [{timeouts: {request: 10 seconds}}]|spec.rules[0].timeouts.request: must be a duration like 1h, 30m, 10s, 250ms or 1m30s, not \"10 seconds\"",
      "  rules: [{timeouts: {request: 1s, backendRequest: 2s}}]|spec.rules[0].timeouts.backendRequest: must not be longer than request",
      "  rules: [{retry: {codes: [200]}}]|spec.rules[0].retry.codes[0]: must be a status code from 400 to 599",
      "  rules: [{matches: [{path: {type: RegularExpression, value: '(a'}}]}]|spec.rules[0].matches[0].path.value: invalid regular expression: Unclosed group",
      "  rules: [{matches: [{path: {value: cart}}]}]|spec.rules[0].matches[0].path.value: must start with /",
      "  rules: [{matches: [{headers: [{type: RegularExpression, name: a, value: '(?!x).*'}]}]}]|spec.rules[0].matches[0].headers[0].value: lookarounds, atomic groups and backreferences are not supported (RE2 syntax)",
      "  rules: [{matches: [{queryParams: [{type: RegularExpression, name: a, value: '(a)\\1'}]}]}]|spec.rules[0].matches[0].queryParams[0].value: lookarounds, atomic groups and backreferences are not supported (RE2 syntax)",
      "  rules: [{matches: [{path: {type: Exact, value: /a}}], filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]}]|spec.rules[0].filters[0].urlRewrite.path.type: ReplacePrefixMatch needs every match of the rule to be a PathPrefix match",
      "  rules: [{filters: [{type: RequestRedirect, requestRedirect: {statusCode: 308}}]}]|spec.rules[0].filters[0].requestRedirect.statusCode: must be <= 302",
      "  rules: [{backendRefs: [{name: Cart, port: 80}]}]|spec.rules[0].backendRefs[0].name: must be a DNS label (lower-case letters, digits and '-', at most 63)",
      "  rules: [{backendRefs: [{kind: Pod, name: a, port: 80}]}]|spec.rules[0].backendRefs[0].kind: must be Service, not \"Pod\"",
      "  rules: [{filters: [{type: RequestMirror, requestMirror: {backendRef: {name: a, port: 80}, percent: 5, fraction: {numerator: 1}}}]}]|spec.rules[0].filters[0].requestMirror.fraction: not together with percent",
      "  rules: [{filters: [{type: RequestMirror, requestMirror: {backendRef: {name: a, port: 80}, fraction: {numerator: 3, denominator: 2}}}]}]|spec.rules[0].filters[0].requestMirror.fraction.numerator: must be <= denominator (2)",
  })
  void routeProblem(String rule, String expected) {
    String yaml = ROUTE_HEAD + "spec:\n  parentRefs: [{kind: Service, name: cart}]\n  " + rule + "\n";
    assertThat(String.join("\n", problems(yaml)))
        .isEqualTo("mesh/routes.yaml: HTTPRoute shop/cart-v2: " + expected.replace("\\n", "\n"));
  }

  @Test
  void everyProblemOfAFileIsReportedAtOnce() {
    String yaml = ROUTE_HEAD + "spec:\n  parentRefs: [{group: gateway.networking.k8s.io, name: cart}]\n"
        + "  rules: [{backendRefs: [{name: a, port: 0, weight: -1}]}]\n"
        + "---\n" + service("b").replace("protocol: http", "protocol: udp")
        + "---\nkind: Secret\n";
    assertThat(problems(yaml)).containsExactly(
        "mesh/routes.yaml: HTTPRoute shop/cart-v2: spec.parentRefs[0].group: must be \"\" (the core group of Service), not \"gateway.networking.k8s.io\"",
        "mesh/routes.yaml: HTTPRoute shop/cart-v2: spec.parentRefs[0].kind: required: Service (mesh routes attach to Services)",
        "mesh/routes.yaml: HTTPRoute shop/cart-v2: spec.rules[0].backendRefs[0].port: must be >= 1",
        "mesh/routes.yaml: HTTPRoute shop/cart-v2: spec.rules[0].backendRefs[0].weight: must be >= 0",
        "mesh/routes.yaml: Service default/b: spec.ports[0].protocol: must be one of http, http2, grpc, tcp, not \"udp\"",
        "mesh/routes.yaml: document 3: apiVersion: required",
        "mesh/routes.yaml: document 3: kind: must be one of MeshConfig, Service, HTTPRoute, GRPCRoute, AuthorizationPolicy, not \"Secret\"",
        "mesh/routes.yaml: document 3: metadata: required");
  }

  @Test
  void documentLevelProblems() {
    assertThat(problems("apiVersion: outrigger.dev/v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{name: h, port: 1, protocol: tcp}]}\n"))
        .containsExactly("mesh/routes.yaml: Service default/a: apiVersion: must be outrigger.dev/v1alpha1 for kind Service, not \"outrigger.dev/v1\"");
    assertThat(problems("apiVersion: outrigger.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: m, namespace: x}\nspec: {}\n"))
        .containsExactly("mesh/routes.yaml: MeshConfig m: metadata.namespace: must not be set: MeshConfig is cluster-scoped");
    assertThat(problems("apiVersion: outrigger.dev/v1alpha1\nkind: Service\nmetadata: {namespace: x}\nspec: {}\n"))
        .containsExactly("mesh/routes.yaml: document 1: metadata.name: required");
    assertThat(problems("apiVersion: outrigger.dev/v1alpha1\nkind: Service\nmetadata: {name: a}\n"))
        .containsExactly("mesh/routes.yaml: Service default/a: spec: required",
            "mesh/routes.yaml: Service default/a: spec.ports: required: at least one port");
    assertThat(problems("a: [1\n")).singleElement().asString()
        .startsWith("mesh/routes.yaml: invalid YAML: ");
    assertThat(problems("a: 1\na: 2\n")).singleElement().asString()
        .startsWith("mesh/routes.yaml: invalid YAML: Duplicate field 'a'");
  }

  @Test
  void serviceAndPolicyProblems() {
    assertThat(problems("apiVersion: outrigger.dev/v1alpha1\nkind: Service\nmetadata: {name: a}\n"
        + "spec: {ports: [{name: h, port: 80, protocol: http}, {name: h, port: 80, protocol: tcp}],"
        + " endpoints: [{address: x, ports: {g: 1}}]}\n"))
        .containsExactly("mesh/routes.yaml: Service default/a: spec.ports[1].name: duplicate port name h",
            "mesh/routes.yaml: Service default/a: spec.ports[1].port: duplicate port 80",
            "mesh/routes.yaml: Service default/a: spec.endpoints[0].ports.g: the service has no port named g");
    assertThat(problems("apiVersion: outrigger.dev/v1alpha1\nkind: AuthorizationPolicy\nmetadata: {name: p}\n"
        + "spec:\n  action: allow\n  rules: [{from: [{spiffeIds: [cart], serviceAccounts: [cart]}],"
        + " to: [{methods: [get], paths: [admin]}]}]\n"))
        .containsExactly("mesh/routes.yaml: AuthorizationPolicy default/p: spec.action: must be one of ALLOW, DENY, not \"allow\"",
            "mesh/routes.yaml: AuthorizationPolicy default/p: spec.rules[0].from[0].spiffeIds[0]: must start with spiffe:// (or be *)",
            "mesh/routes.yaml: AuthorizationPolicy default/p: spec.rules[0].from[0].serviceAccounts[0]: must be <namespace>/<service account>",
            "mesh/routes.yaml: AuthorizationPolicy default/p: spec.rules[0].to[0].paths[0]: must start with / or *",
            "mesh/routes.yaml: AuthorizationPolicy default/p: spec.rules[0].to[0].methods[0]: must be an upper-case HTTP method");
    assertThat(problems("apiVersion: outrigger.dev/v1alpha1\nkind: AuthorizationPolicy\nmetadata: {name: p}\nspec: {}\n"))
        .containsExactly("mesh/routes.yaml: AuthorizationPolicy default/p: spec.action: required, one of ALLOW, DENY",
            "mesh/routes.yaml: AuthorizationPolicy default/p: spec.rules: required: at least one rule ({} matches every request)");
  }

  @Test
  void grpcRouteAndMeshConfigProblems() {
    String head = "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\n"
        + "spec:\n  parentRefs: [{kind: Service, name: inv}]\n";
    assertThat(problems(head + "  rules: [{matches: [{method: {type: Exact}}, {method: {service: a/b, method: c}}]}]\n"))
        .containsExactly("mesh/routes.yaml: GRPCRoute default/g: spec.rules[0].matches[0].method: needs service, method or both",
            "mesh/routes.yaml: GRPCRoute default/g: spec.rules[0].matches[1].method.service: must not contain /");
    assertThat(problems(head + "  rules: [{filters: [{type: URLRewrite, urlRewrite: {}}]}]\n"))
        .containsExactly("mesh/routes.yaml: GRPCRoute default/g: spec.rules[0].filters[0].type: URLRewrite is not supported in this kind of route",
            "mesh/routes.yaml: GRPCRoute default/g: spec.rules[0].filters[0].urlRewrite: unknown field");
    assertThat(problems(head + "  rules: [{timeouts: {request: 1s}}]\n"))
        .containsExactly("mesh/routes.yaml: GRPCRoute default/g: spec.rules[0].timeouts: unknown field");
    assertThat(problems("apiVersion: outrigger.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: m}\n"
        + "spec: {trustDomain: Example.org, certificateTTL: 1m, defaultInboundPolicy: allow, rootNamespace: Ops}\n"))
        .containsExactly("mesh/routes.yaml: MeshConfig m: spec.trustDomain: must be a SPIFFE trust domain (lower-case letters, digits, '.', '-', '_')",
            "mesh/routes.yaml: MeshConfig m: spec.certificateTTL: must be at least 5m",
            "mesh/routes.yaml: MeshConfig m: spec.defaultInboundPolicy: must be one of ALLOW, DENY, not \"allow\"",
            "mesh/routes.yaml: MeshConfig m: spec.rootNamespace: must be a DNS label (lower-case letters, digits and '-', at most 63)");
  }

  static String service(String name) {
    return "apiVersion: outrigger.dev/v1alpha1\nkind: Service\nmetadata: {name: " + name + "}\n"
        + "spec:\n  ports:\n  - {name: http, port: 80, protocol: http}\n";
  }

  private dev.outrigger.controlplane.model.Resource only(String yaml) {
    ParsedFile file = parser.parse("f.yaml", yaml);
    assertThat(file.problems()).isEmpty();
    assertThat(file.resources()).hasSize(1);
    return file.resources().get(0);
  }

  private List<String> problems(String yaml) {
    return parser.parse("mesh/routes.yaml", yaml).problems().stream().map(Problem::toString).toList();
  }
}
