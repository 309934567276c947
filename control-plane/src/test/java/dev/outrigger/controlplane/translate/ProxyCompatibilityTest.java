package dev.outrigger.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.xds.Resource;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.config.ProxyConfig;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the translator emits must be what the Outrigger proxy accepts: the resources of a sidecar,
 * as a static bootstrap (RDS and EDS inlined, as the proxy's xDS client will resolve them), go
 * through the proxy's own checks and translation ({@link BootstrapLoader#translate}).
 */
class ProxyCompatibilityTest {
  private static final Workload CART = Meshes.workload("cart-1", "shop", "cart-v2", "cart", "10.0.0.5");
  private static final Endpoints PEERS = Endpoints.of(List.of(CART,
      Meshes.workload("fe-1", "shop", "frontend", "frontend", "10.0.0.7"),
      Meshes.workload("inv-1", "shop", "inventory", null, "10.0.0.8")));

  @Test
  void theProxyAcceptsTheExampleMeshWithoutPolicies() throws Exception {
    ProxyConfig config = BootstrapLoader.translate(asBootstrap(Meshes.exampleWithoutPolicies(), CART));

    assertThat(config).isNotNull();
  }

  @Test
  void theProxyAcceptsRewritesGrpcMatchesRetriesAndTimeouts() throws Exception {
    MeshModel model = Meshes.model("""
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          ports: [{name: http, port: 8080, protocol: http}, {name: grpc, port: 9090, protocol: grpc}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec:
          parentRefs: [{kind: Service, name: web, port: 8080}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /api}}]
            filters: [{type: URLRewrite, urlRewrite: {hostname: web.internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
            backendRefs: [{name: web, port: 8080}]
            timeouts: {request: 5s, backendRequest: 1s}
            retry: {codes: [503], attempts: 3, backoff: 50ms}
          - matches: [{path: {type: RegularExpression, value: "/v[0-9]+/.*"}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /fixed}}}]
            backendRefs: [{name: web, port: 8080, weight: 3}, {name: web, port: 9090, weight: 1}]
          - matches: [{path: {type: Exact, value: /old}}]
            filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: new.example, port: 8443}}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: web, namespace: shop}
        spec:
          parentRefs: [{kind: Service, name: web}]
          rules:
          - matches: [{method: {service: a.B}}, {method: {method: Get}}, {method: {type: RegularExpression, service: 'a\\..*', method: "G.*"}}]
            backendRefs: [{name: web, port: 9090}]
        """);
    Workload web = Meshes.workload("web-1", "shop", "web", "web", "10.0.0.3");
    Translation translation = Translator.translate(model, web, Endpoints.of(List.of(web)));

    assertThat(translation.warnings()).isEmpty();
    assertThat(BootstrapLoader.translate(asBootstrap(model, web))).isNotNull();
  }

  /** TCP ports (outbound listeners, SNI chains with network RBAC) and host-name endpoints (STRICT_DNS). */
  @Test
  void theProxyAcceptsTcpPortsAndHostNameEndpoints() throws Exception {
    MeshModel model = Meshes.model("""
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: db, namespace: shop}
        spec:
          ports: [{name: sql, port: 5432, protocol: tcp}, {name: http, port: 8080, protocol: http}]
        ---
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: legacy, namespace: shop}
        spec:
          ports: [{name: raw, port: 9000, protocol: tcp}]
          endpoints: [{address: legacy.example}]
        ---
        apiVersion: outrigger.dev/v1alpha1
        kind: AuthorizationPolicy
        metadata: {name: p, namespace: shop}
        spec:
          action: ALLOW
          rules: [{from: [{namespaces: [shop]}], to: [{methods: [GET]}, {ports: [5432]}]}]
        """);
    Workload db = Workload.of(Meshes.sidecar("db-1", "shop", "db", "db", "10.0.0.3", java.util.Map.of(),
        java.util.Map.of("legacy.shop:9000", 19000, "db.shop:5432", 15432)));
    Translation translation = Translator.translate(model, db, Endpoints.of(List.of(db)));

    assertThat(translation.warnings()).isEmpty();
    assertThat(BootstrapLoader.translate(asBootstrap(model, db))).isNotNull();
  }

  /** The authorization chain (HTTP RBAC filters, DENY tiers first) is taken by the proxy as translated. */
  @ParameterizedTest
  @ValueSource(strings = {"cart", "cart-v2", "inventory"})
  void withPoliciesEveryServicesConfigIsAccepted(String service) throws Exception {
    Bootstrap bootstrap = asBootstrap(Meshes.example(), Meshes.workload("w", "shop", service, "sa", "10.0.0.9"));

    List<String> httpFilters = new ArrayList<>();
    for (Listener listener : bootstrap.getStaticResources().getListenersList()) {
      for (Filter filter : listener.getFilterChains(0).getFiltersList()) {
        if (!filter.getTypedConfig().is(HttpConnectionManager.class)) {
          continue;
        }
        filter.getTypedConfig().unpack(HttpConnectionManager.class).getHttpFiltersList()
            .forEach(http -> httpFilters.add(http.getName()));
      }
    }
    assertThat(httpFilters).anyMatch(name -> name.startsWith("envoy.filters.http.rbac."));
    assertThat(BootstrapLoader.translate(bootstrap)).isNotNull();
  }

  private static Bootstrap asBootstrap(MeshModel model, Workload proxy) throws InvalidProtocolBufferException {
    Resources resources = Translator.translate(model, proxy, PEERS).resources();
    Bootstrap.StaticResources.Builder statics = Bootstrap.StaticResources.newBuilder();
    for (Resource resource : resources.of(ResourceType.LISTENER).values()) {
      statics.addListeners(inlineRoutes(resource.body().unpack(Listener.class), resources));
    }
    for (Resource resource : resources.of(ResourceType.CLUSTER).values()) {
      statics.addClusters(inlineEndpoints(resource.body().unpack(Cluster.class), resources));
    }
    return Bootstrap.newBuilder().setNode(Node.newBuilder().setId(proxy.nodeId())).setStaticResources(statics).build();
  }

  private static Listener inlineRoutes(Listener listener, Resources resources) throws InvalidProtocolBufferException {
    Listener.Builder inlined = listener.toBuilder();
    for (var chain : inlined.getFilterChainsBuilderList()) {
      for (Filter.Builder filter : chain.getFiltersBuilderList()) {
        if (!filter.getTypedConfig().is(HttpConnectionManager.class)) {
          continue;
        }
        HttpConnectionManager manager = filter.getTypedConfig().unpack(HttpConnectionManager.class);
        if (manager.hasRds()) {
          RouteConfiguration routes = resources.of(ResourceType.ROUTE).get(manager.getRds().getRouteConfigName())
              .body().unpack(RouteConfiguration.class);
          filter.setTypedConfig(Any.pack(manager.toBuilder().clearRds().setRouteConfig(routes).build()));
        }
      }
    }
    return inlined.build();
  }

  private static Cluster inlineEndpoints(Cluster cluster, Resources resources) throws InvalidProtocolBufferException {
    if (cluster.getType() != Cluster.DiscoveryType.EDS) {
      return cluster;
    }
    ClusterLoadAssignment endpoints = resources.of(ResourceType.ENDPOINT).get(cluster.getName()).body()
        .unpack(ClusterLoadAssignment.class);
    return cluster.toBuilder().clearEdsClusterConfig().setType(Cluster.DiscoveryType.STATIC)
        .setLoadAssignment(endpoints).build();
  }
}
