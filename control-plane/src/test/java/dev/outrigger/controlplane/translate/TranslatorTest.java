package dev.outrigger.controlplane.translate;

import static dev.outrigger.controlplane.translate.Meshes.unpack;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.xds.Resource;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TranslatorTest {
  private static final Workload CART = Meshes.workload("cart-1", "shop", "cart", "cart", "10.0.0.5");
  private static final Workload GATEWAY = new Workload("gw", Optional.empty());

  private static final String SERVICES = """
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        ports: [{name: http, port: 8080, protocol: http}, {name: admin, port: 9000, protocol: http2}]
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: api, namespace: shop}
      spec:
        ports: [{name: grpc, port: 7070, protocol: grpc}, {name: raw, port: 7000, protocol: tcp}]
      """;

  @Test
  void exampleMeshGivesEveryServicePortACluster() {
    Resources resources = Translator.translate(Meshes.example(), CART, Endpoints.NONE).resources();

    assertThat(resources.of(ResourceType.LISTENER).keySet()).containsExactly("inbound", "outbound");
    assertThat(resources.of(ResourceType.ROUTE).keySet()).containsExactly("outbound");
    assertThat(resources.of(ResourceType.CLUSTER).keySet()).containsExactly("inbound|8080||",
        "outbound|8080||cart-v2.shop", "outbound|8080||cart.shop", "outbound|8080||frontend.shop",
        "outbound|9090||inventory.shop");
    assertThat(resources.of(ResourceType.ENDPOINT).keySet()).containsExactly(
        "outbound|8080||cart-v2.shop", "outbound|8080||cart.shop", "outbound|8080||frontend.shop",
        "outbound|9090||inventory.shop");
  }

  @Test
  void sameInputsGiveTheSameVersions() {
    Endpoints endpoints = Endpoints.of(List.of(CART, Meshes.workload("c2", "shop", "cart-v2", "cart", "10.0.0.6")));
    Resources first = Translator.translate(Meshes.example(), CART, endpoints).resources();
    Resources second = Translator.translate(Meshes.example(), CART, endpoints).resources();

    assertThat(second).isEqualTo(first);
    for (ResourceType type : ResourceType.values()) {
      assertThat(second.of(type).values().stream().map(Resource::version).toList())
          .isEqualTo(first.of(type).values().stream().map(Resource::version).toList());
    }
  }

  @Test
  void virtualHostsAnswerToEveryNameOfTheServiceWithAndWithoutPort() {
    RouteConfiguration routes = outboundRoutes(Meshes.model(SERVICES), GATEWAY);

    assertThat(routes.getVirtualHostsList()).extracting(VirtualHost::getName)
        .containsExactly("api.shop:7070", "web.shop:8080", "web.shop:9000"); // tcp 7000 not routed
    assertThat(vhost(routes, "web.shop:8080").getDomainsList()).containsExactly(
        "web", "web:8080", "web.shop", "web.shop:8080", "web.shop.svc", "web.shop.svc:8080",
        "web.shop.svc.cluster.local", "web.shop.svc.cluster.local:8080");
    assertThat(vhost(routes, "web.shop:9000").getDomainsList()).containsExactly(
        "web:9000", "web.shop:9000", "web.shop.svc:9000", "web.shop.svc.cluster.local:9000");
  }

  @Test
  void aServiceWithoutRoutesGoesToItsOwnCluster() {
    Route route = single(vhost(outboundRoutes(Meshes.model(SERVICES), GATEWAY), "web.shop:9000"));

    assertThat(route.getMatch().getPrefix()).isEmpty();
    assertThat(route.getRoute().getCluster()).isEqualTo("outbound|9000||web.shop");
    assertThat(route.getRoute().getTimeout()).isEqualTo(Duration.getDefaultInstance());
  }

  @Test
  void rulesAreOrderedByGatewayApiPrecedence() {
    VirtualHost cart = vhost(outboundRoutes(Meshes.example(), GATEWAY), "cart.shop:8080");

    assertThat(cart.getRoutesList()).extracting(Route::getName).containsExactly(
        "shop/cart/legacy/0", "shop/cart/api-v1/0", "shop/cart/testers/0", "shop/cart/canary/0");
    Route legacy = cart.getRoutes(0);
    assertThat(legacy.getMatch().getPath()).isEqualTo("/basket");
    assertThat(legacy.getRedirect().getPathRedirect()).isEqualTo("/cart");
    assertThat(legacy.getRedirect().getResponseCodeValue()).isZero(); // MOVED_PERMANENTLY
    HeaderMatcher method = cart.getRoutes(1).getMatch().getHeaders(0);
    assertThat(method.getName()).isEqualTo(":method");
    assertThat(method.getStringMatch().getExact()).isEqualTo("GET");
    Route testers = cart.getRoutes(2);
    assertThat(testers.getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("always");
    assertThat(testers.getRoute().getCluster()).isEqualTo("outbound|8080||cart-v2.shop");
  }

  @Test
  void longerPrefixesComeFirstAndMatchWholeSegments() {
    String route = SERVICES + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec:
          parentRefs: [{kind: Service, name: web}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /api}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
            backendRefs: [{name: web, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /api/v1/}, queryParams: [{name: debug, type: RegularExpression, value: "true|1"}]}]
            filters: [{type: URLRewrite, urlRewrite: {hostname: web.internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v1}}}]
            backendRefs: [{name: web, port: 8080}]
        """;
    VirtualHost web = vhost(outboundRoutes(Meshes.model(route), GATEWAY), "web.shop:8080");

    assertThat(web.getRoutesList()).extracting(r -> r.getMatch().getPathSeparatedPrefix())
        .containsExactly("/api/v1", "/api");
    Route v1 = web.getRoutes(0);
    assertThat(v1.getMatch().getQueryParameters(0).getStringMatch().getSafeRegex().getRegex()).isEqualTo("true|1");
    assertThat(v1.getRoute().getPrefixRewrite()).isEqualTo("/v1");
    assertThat(v1.getRoute().getHostRewriteLiteral()).isEqualTo("web.internal");
    var toRoot = web.getRoutes(1).getRoute().getRegexRewrite(); // /api/x to /x, not //x
    assertThat(toRoot.getPattern().getRegex()).isEqualTo("^\\Q/api\\E/*");
    assertThat(toRoot.getSubstitution()).isEqualTo("/");
  }

  @Test
  void weightsHeadersTimeoutsAndRetriesOfTheCanaryRule() {
    Route canary = vhost(outboundRoutes(Meshes.example(), GATEWAY), "cart.shop:8080").getRoutes(3);

    assertThat(canary.getRoute().getWeightedClusters().getClustersList())
        .extracting(c -> c.getName() + "=" + c.getWeight().getValue())
        .containsExactly("outbound|8080||cart.shop=90", "outbound|8080||cart-v2.shop=10");
    assertThat(canary.getRequestHeadersToAdd(0).getHeader().getKey()).isEqualTo("x-route");
    assertThat(canary.getRequestHeadersToAdd(0).getAppendActionValue()).isEqualTo(2); // OVERWRITE_IF_EXISTS_OR_ADD
    assertThat(canary.getRequestHeadersToRemoveList()).containsExactly("x-debug");
    assertThat(canary.getResponseHeadersToAdd(0).getHeader().getKey()).isEqualTo("x-served-by");
    assertThat(canary.getRoute().getTimeout().getSeconds()).isEqualTo(10);
    var retry = canary.getRoute().getRetryPolicy();
    assertThat(retry.getRetryOn()).isEqualTo("connect-failure,refused-stream,reset,retriable-status-codes");
    assertThat(retry.getRetriableStatusCodesList()).containsExactly(502, 503, 504);
    assertThat(retry.getNumRetries().getValue()).isEqualTo(2);
    assertThat(retry.getPerTryTimeout().getSeconds()).isEqualTo(2);
    assertThat(retry.getRetryBackOff().getBaseInterval().getNanos()).isEqualTo(100_000_000);
    RouteAction.RequestMirrorPolicy mirror = canary.getRoute().getRequestMirrorPolicies(0);
    assertThat(mirror.getCluster()).isEqualTo("outbound|8080||cart-v2.shop");
    assertThat(mirror.getRuntimeFraction().getDefaultValue()).isEqualTo(FractionalPercent.newBuilder()
        .setNumerator(5).setDenominator(FractionalPercent.DenominatorType.HUNDRED).build());
  }

  @ParameterizedTest
  @CsvSource({
      "'percent: 100', -1, -1",
      "'fraction: {numerator: 1, denominator: 3}', 333333, 2",
      "'fraction: {numerator: 7, denominator: 10000}', 7, 1",
      "'fraction: {numerator: 3}', 3, 0"})
  void mirrorFractionsAreEnvoysRuntimeFractions(String share, int numerator, int denominator) {
    String yaml = SERVICES + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec:
          parentRefs: [{kind: Service, name: web, port: 8080}]
          rules:
          - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: web, port: 9000}, %s}}]
            backendRefs: [{name: web, port: 8080}]
        """.formatted(share);
    RouteAction.RequestMirrorPolicy mirror = single(vhost(outboundRoutes(Meshes.model(yaml), GATEWAY), "web.shop:8080"))
        .getRoute().getRequestMirrorPolicies(0);

    assertThat(mirror.getCluster()).isEqualTo("outbound|9000||web.shop");
    assertThat(mirror.hasRuntimeFraction()).isEqualTo(numerator >= 0);
    if (numerator >= 0) {
      assertThat(mirror.getRuntimeFraction().getDefaultValue().getNumerator()).isEqualTo(numerator);
      assertThat(mirror.getRuntimeFraction().getDefaultValue().getDenominatorValue()).isEqualTo(denominator);
    }
  }

  @Test
  void grpcRulesAreOrderedByGatewayApiPrecedence() {
    String yaml = SERVICES + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: api, namespace: shop}
        spec:
          parentRefs: [{kind: Service, name: api}]
          rules:
          - name: any
            backendRefs: [{name: api, port: 7070}]
          - name: method-only
            matches: [{method: {method: Get}}]
            backendRefs: [{name: api, port: 7070}]
          - name: service
            matches: [{method: {service: a.B}}]
            backendRefs: [{name: api, port: 7070}]
          - name: both
            matches: [{method: {service: a.B, method: Get}, headers: [{name: x, value: "1"}]}]
            backendRefs: [{name: api, port: 7070}]
        """;
    VirtualHost api = vhost(outboundRoutes(Meshes.model(yaml), GATEWAY), "api.shop:7070");

    assertThat(api.getRoutesList()).extracting(Route::getName).containsExactly(
        "shop/api/both/0", "shop/api/service/0", "shop/api/method-only/0", "shop/api/any/0");
  }

  @Test
  void theExampleMeshTranslatesWithoutWarnings() {
    assertThat(Translator.translate(Meshes.example(), GATEWAY, Endpoints.NONE).warnings()).isEmpty();
  }

  @Test
  void grpcRoutesMatchTheCallPath() {
    VirtualHost inventory = vhost(outboundRoutes(Meshes.example(), GATEWAY), "inventory.shop:9090");

    assertThat(inventory.getRoutesList()).extracting(r -> r.getMatch().getPath() + "|" + r.getMatch().getPrefix())
        .containsExactly("/shop.inventory.v1.Inventory/GetStock|", "|/");
    assertThat(inventory.getRoutes(0).getMatch().hasGrpc()).isTrue();
    assertThat(inventory.getRoutes(0).getMatch().getHeaders(0).getStringMatch().getSafeRegex().getRegex())
        .isEqualTo("[a-z]+");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no sidecar registered                 | | | spiffe://cluster.local/ns/shop/",
      "sidecars with service accounts        | a | b | spiffe://cluster.local/ns/shop/sa/a,spiffe://cluster.local/ns/shop/sa/b",
      "one sidecar without a service account | a | | spiffe://cluster.local/ns/shop/"})
  void meshClustersAreMutualTlsToThePeerSidecars(String name, String firstAccount, String secondAccount,
      String expectedIds) throws InvalidProtocolBufferException {
    Endpoints endpoints = Endpoints.of(firstAccount == null ? List.of() : List.of(
        Meshes.workload("w1", "shop", "web", firstAccount, "10.0.0.2"),
        Meshes.workload("w2", "shop", "web", secondAccount, "10.0.0.1")));
    Resources resources = Translator.translate(Meshes.model(SERVICES), GATEWAY, endpoints).resources();
    Cluster cluster = unpack(resources, ResourceType.CLUSTER, "outbound|8080||web.shop", Cluster.class);

    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(cluster.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    UpstreamTlsContext tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
    var validation = tls.getCommonTlsContext().getCombinedValidationContext();
    assertThat(validation.getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
    assertThat(validation.getDefaultValidationContext().getMatchTypedSubjectAltNamesList())
        .extracting(m -> m.getMatcher().hasPrefix() ? m.getMatcher().getPrefix() : m.getMatcher().getExact())
        .containsExactly(expectedIds.split(","));
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2");
    assertThat(cluster.getTypedExtensionProtocolOptionsOrThrow("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
        .unpack(HttpProtocolOptions.class).getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    ClusterLoadAssignment assignment = unpack(resources, ResourceType.ENDPOINT, "outbound|8080||web.shop",
        ClusterLoadAssignment.class);
    assertThat(assignment.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
        .map(e -> e.getEndpoint().getAddress().getSocketAddress())
        .map(a -> a.getAddress() + ":" + a.getPortValue()).toList())
        .isEqualTo(firstAccount == null ? List.of() : List.of("10.0.0.1:15006", "10.0.0.2:15006"));
  }

  @Test
  void aServiceWithStaticEndpointsIsOutsideTheMeshAndSpokenToInPlainText() {
    Resources resources = Translator.translate(Meshes.example(), GATEWAY, Endpoints.NONE).resources();
    Cluster cart = unpack(resources, ResourceType.CLUSTER, "outbound|8080||cart.shop", Cluster.class);
    ClusterLoadAssignment endpoints = unpack(resources, ResourceType.ENDPOINT, "outbound|8080||cart.shop",
        ClusterLoadAssignment.class);

    assertThat(cart.hasTransportSocket()).isFalse();
    assertThat(endpoints.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress()
        .getPortValue()).isEqualTo(9001);
  }

  @Test
  void removingAServiceRemovesItsCluster() {
    MeshModel before = Meshes.model(SERVICES);
    MeshModel after = Meshes.model(SERVICES.substring(0, SERVICES.indexOf("---")));

    assertThat(Translator.translate(before, GATEWAY, Endpoints.NONE).resources().of(ResourceType.CLUSTER))
        .containsKey("outbound|7070||api.shop");
    Resources resources = Translator.translate(after, GATEWAY, Endpoints.NONE).resources();
    assertThat(resources.of(ResourceType.CLUSTER)).doesNotContainKey("outbound|7070||api.shop");
    assertThat(resources.of(ResourceType.ENDPOINT)).doesNotContainKey("outbound|7070||api.shop");
    assertThat(outboundRoutes(after, GATEWAY).getVirtualHostsList()).extracting(VirtualHost::getName)
        .doesNotContain("api.shop:7070");
  }

  @Test
  void aNodeWithoutAWorkloadHasNoInboundListener() {
    Resources resources = Translator.translate(Meshes.example(), GATEWAY, Endpoints.NONE).resources();

    assertThat(resources.of(ResourceType.LISTENER).keySet()).containsExactly("outbound");
    assertThat(resources.of(ResourceType.CLUSTER).keySet()).noneMatch(name -> name.startsWith("inbound"));
  }

  @Test
  void listenersBindAndPeersDialThePortsTheNodeDeclares() {
    var metadata = Meshes.sidecar("web-1", "shop", "web", "web", "127.0.0.1", Map.of()).toBuilder();
    metadata.getMetadataBuilder()
        .putFields(Workload.OUTBOUND_PORT, com.google.protobuf.Value.newBuilder().setNumberValue(25001).build())
        .putFields(Workload.INBOUND_PORT, com.google.protobuf.Value.newBuilder().setNumberValue(25006).build());
    Workload web = Workload.of(metadata.build());
    Resources resources = Translator.translate(Meshes.model(SERVICES), web, Endpoints.of(List.of(web))).resources();

    assertThat(unpack(resources, ResourceType.LISTENER, "outbound", Listener.class).getAddress().getSocketAddress()
        .getPortValue()).isEqualTo(25001);
    assertThat(unpack(resources, ResourceType.LISTENER, "inbound", Listener.class).getAddress().getSocketAddress()
        .getPortValue()).isEqualTo(25006);
    assertThat(unpack(resources, ResourceType.ENDPOINT, "outbound|8080||web.shop", ClusterLoadAssignment.class)
        .getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue())
        .isEqualTo(25006);
  }

  @Test
  void inboundTerminatesMutualTlsAndRoutesToTheLocalApp() throws InvalidProtocolBufferException {
    Workload web = Workload.of(Meshes.sidecar("web-1", "shop", "web", "web", "10.0.0.9", Map.of("admin", 19000)));
    Resources resources = Translator.translate(Meshes.model(SERVICES), web, Endpoints.NONE).resources();
    Listener inbound = unpack(resources, ResourceType.LISTENER, "inbound", Listener.class);

    assertThat(inbound.getAddress().getSocketAddress().getPortValue()).isEqualTo(15006);
    DownstreamTlsContext tls = inbound.getFilterChains(0).getTransportSocket().getTypedConfig()
        .unpack(DownstreamTlsContext.class);
    assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2", "http/1.1");
    HttpConnectionManager manager = hcm(inbound);
    assertThat(manager.getForwardClientCertDetails()).isEqualTo(HttpConnectionManager.ForwardClientCertDetails.SANITIZE_SET);
    assertThat(manager.getSetCurrentClientCertDetails().getUri()).isTrue();
    assertThat(manager.getRouteConfig().getVirtualHostsList()).extracting(v -> v.getRoutes(0).getRoute().getCluster())
        .containsExactly("inbound|8080||", "inbound|9000||", "inbound|8080||");
    assertThat(appPort(resources, "inbound|8080||")).isEqualTo(8080); // not declared: the service port
    assertThat(appPort(resources, "inbound|9000||")).isEqualTo(19000);
  }

  @Test
  void rootDenyComesBeforeTheApplicationsAllow() throws InvalidProtocolBufferException {
    HttpConnectionManager manager = hcm(unpack(Translator.translate(Meshes.example(), CART, Endpoints.NONE).resources(),
        ResourceType.LISTENER, "inbound", Listener.class));

    assertThat(manager.getHttpFiltersList()).extracting(HttpFilter::getName).containsExactly(
        "envoy.filters.http.rbac.deny", "envoy.filters.http.rbac.application-allow", "envoy.filters.http.router");
    RBAC deny = rbac(manager.getHttpFilters(0));
    assertThat(deny.getAction()).isEqualTo(RBAC.Action.DENY);
    assertThat(deny.getPoliciesMap()).containsOnlyKeys("0-outrigger-system/deny-sandbox[0]");
    assertThat(deny.getPoliciesMap().values().iterator().next().getPrincipals(0).getAuthenticated()
        .getPrincipalName().getSafeRegex().getRegex())
        .isEqualTo("\\Qspiffe://cluster.local/ns/sandbox/sa/\\E[^/]+");
    RBAC allow = rbac(manager.getHttpFilters(1));
    assertThat(allow.getAction()).isEqualTo(RBAC.Action.ALLOW);
    var policy = allow.getPoliciesOrThrow("0-shop/cart-callers[0]");
    assertThat(policy.getPrincipals(0).getAuthenticated().getPrincipalName().getExact())
        .isEqualTo("spiffe://cluster.local/ns/shop/sa/frontend");
    List<String> paths = policy.getPermissions(0).getAndRules().getRules(0).getOrRules().getRulesList().stream()
        .map(p -> p.getUrlPath().getPath().getPrefix()).toList();
    assertThat(paths).containsExactly("/cart", "/api/");
  }

  @ParameterizedTest(name = "default {0}, ALLOW policy {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "ALLOW | false | ",
      "DENY  | false | envoy.filters.http.rbac.default-deny",
      "DENY  | true  | envoy.filters.http.rbac.application-allow"})
  void theDefaultPolicyIsAFilterOnlyWhenItDenies(String defaultPolicy, boolean allowPolicy, String expected)
      throws InvalidProtocolBufferException {
    String mesh = "apiVersion: outrigger.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: default}\n"
        + "spec: {defaultInboundPolicy: " + defaultPolicy + "}\n---\n" + SERVICES
        + (allowPolicy ? "---\napiVersion: outrigger.dev/v1alpha1\nkind: AuthorizationPolicy\n"
            + "metadata: {name: any, namespace: shop}\nspec: {action: ALLOW, rules: [{}]}\n" : "");
    Workload web = Meshes.workload("web-1", "shop", "web", "web", "10.0.0.9");
    HttpConnectionManager manager = hcm(unpack(Translator.translate(Meshes.model(mesh), web, Endpoints.NONE)
        .resources(), ResourceType.LISTENER, "inbound", Listener.class));

    List<String> rbac = manager.getHttpFiltersList().stream().map(HttpFilter::getName)
        .filter(n -> n.contains("rbac")).collect(Collectors.toList());
    assertThat(rbac).isEqualTo(expected == null ? List.of() : List.of(expected));
    if (expected != null && expected.endsWith("default-deny")) {
      assertThat(rbac(manager.getHttpFilters(0)).getPoliciesMap()).isEmpty();
    }
  }

  @Test
  void ruleTimeoutsAndRetriesAlone() {
    String route = SERVICES + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec:
          parentRefs: [{kind: Service, name: web, port: 8080}]
          rules:
          - matches: [{path: {type: Exact, value: /slow}}]
            timeouts: {backendRequest: 1s}
            backendRefs: [{name: web, port: 8080}]
          - retry: {attempts: 3}
            backendRefs: [{name: web, port: 8080, weight: 0}, {name: web, port: 9000}]
          - matches: [{path: {type: PathPrefix, value: /none}}]
        """;
    VirtualHost web = vhost(outboundRoutes(Meshes.model(route), GATEWAY), "web.shop:8080");

    Route slow = web.getRoutes(0);
    assertThat(slow.getRoute().getRetryPolicy().getNumRetries().getValue()).isZero();
    assertThat(slow.getRoute().getRetryPolicy().getPerTryTimeout().getSeconds()).isEqualTo(1);
    Route none = web.getRoutes(1);
    assertThat(none.getDirectResponse().getStatus()).isEqualTo(500);
    Route retried = web.getRoutes(2);
    assertThat(retried.getRoute().getCluster()).isEqualTo("outbound|9000||web.shop"); // weight 0 dropped
    assertThat(retried.getRoute().getRetryPolicy().getRetryOn()).isEqualTo("connect-failure,refused-stream,reset");
    assertThat(retried.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(3);
    assertThat(vhost(outboundRoutes(Meshes.model(route), GATEWAY), "web.shop:9000").getRoutes(0).getName())
        .isEqualTo("default"); // the route's parent is port 8080 only
  }

  @Test
  void staticEndpointsWithHostNamesAreResolvedByTheProxy() {
    MeshModel model = Meshes.model("""
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: legacy, namespace: shop}
        spec:
          ports: [{name: http, port: 80, protocol: http}]
          endpoints: [{address: legacy.internal.example}, {address: 10.0.0.9}]
        """);
    Resources resources = Translator.translate(model, GATEWAY, Endpoints.NONE).resources();

    Cluster legacy = unpack(resources, ResourceType.CLUSTER, "outbound|80||legacy.shop", Cluster.class);
    assertThat(legacy.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    assertThat(legacy.getLoadAssignment().getEndpoints(0).getLbEndpointsList())
        .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
        .containsExactly("legacy.internal.example", "10.0.0.9");
    assertThat(resources.of(ResourceType.ENDPOINT)).doesNotContainKey("outbound|80||legacy.shop");
  }

  @Test
  void aSidecarOfAServiceWithStaticEndpointsIsWarnedAbout() {
    MeshModel model = Meshes.model("""
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: legacy, namespace: shop}
        spec:
          ports: [{name: http, port: 80, protocol: http}]
          endpoints: [{address: 10.0.0.9}]
        """);
    Workload sidecar = Meshes.workload("legacy-1", "shop", "legacy", "legacy", "10.0.0.10");

    assertThat(Translator.translate(model, sidecar, Endpoints.of(List.of(sidecar))).warnings()).containsExactly(
        "sidecars front service shop/legacy, which has static endpoints: callers reach those, in plain text,"
            + " not these sidecars");
  }

  private static RouteConfiguration outboundRoutes(MeshModel model, Workload proxy) {
    return unpack(Translator.translate(model, proxy, Endpoints.NONE).resources(), ResourceType.ROUTE, "outbound",
        RouteConfiguration.class);
  }

  private static VirtualHost vhost(RouteConfiguration routes, String name) {
    return routes.getVirtualHostsList().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no virtual host " + name));
  }

  private static Route single(VirtualHost vhost) {
    assertThat(vhost.getRoutesList()).hasSize(1);
    return vhost.getRoutes(0);
  }

  private static HttpConnectionManager hcm(Listener listener) throws InvalidProtocolBufferException {
    return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
  }

  private static RBAC rbac(HttpFilter filter) throws InvalidProtocolBufferException {
    return filter.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules();
  }

  private static int appPort(Resources resources, String cluster) {
    return unpack(resources, ResourceType.CLUSTER, cluster, Cluster.class).getLoadAssignment().getEndpoints(0)
        .getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue();
  }
}
