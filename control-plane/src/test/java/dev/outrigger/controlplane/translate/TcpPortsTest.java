package dev.outrigger.controlplane.translate;

import static dev.outrigger.controlplane.translate.Meshes.unpack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TCP service ports: the outbound listeners a sidecar declares, the clusters, the inbound chains and their RBAC. */
class TcpPortsTest {
  private static final String SERVICES = """
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: db, namespace: shop}
      spec:
        ports: [{name: sql, port: 5432, protocol: tcp}, {name: admin, port: 8080, protocol: http}]
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        ports: [{name: http, port: 8080, protocol: http}]
      """;

  private static Resources translate(String yaml, Workload proxy) {
    return Translator.translate(Meshes.model(yaml), proxy, Endpoints.of(List.of(proxy))).resources();
  }

  private static Workload web(Map<String, Integer> tcpUpstreams) {
    return Workload.of(Meshes.sidecar("web-1", "shop", "web", "web", "10.0.0.2", Map.of("http", 9080), tcpUpstreams));
  }

  @Test
  void aDeclaredUpstreamIsALoopbackListenerToThePortsCluster() throws Exception {
    Resources resources = translate(SERVICES, web(Map.of("db.shop:5432", 15432)));

    Listener listener = unpack(resources, ResourceType.LISTENER, "outbound_tcp|db.shop:5432", Listener.class);
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(15432);
    TcpProxy proxy = listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(TcpProxy.class);
    assertThat(proxy.getCluster()).isEqualTo("outbound|5432||db.shop");
  }

  @Test
  void theTcpClusterSpeaksMtlsWithThePortsSniAndNoHttpOptions() throws Exception {
    Cluster cluster = unpack(translate(SERVICES, web(Map.of())), ResourceType.CLUSTER, "outbound|5432||db.shop",
        Cluster.class);

    assertThat(cluster.getTypedExtensionProtocolOptionsMap()).isEmpty();
    UpstreamTlsContext tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("outbound-5432.db.shop.svc.cluster.local");
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "nope.shop:5432 | 15432 | TCP upstream nope.shop:5432 (node metadata outrigger.tcp_upstreams): left out: no tcp port of a service of the mesh is <name>.<namespace>:<port>",
      "db.shop:8080   | 15432 | TCP upstream db.shop:8080 (node metadata outrigger.tcp_upstreams): left out: no tcp port of a service of the mesh is <name>.<namespace>:<port>",
      "db.shop        | 15432 | TCP upstream db.shop (node metadata outrigger.tcp_upstreams): left out: no tcp port of a service of the mesh is <name>.<namespace>:<port>",
      "db.shop:5432   | 15001 | TCP upstream db.shop:5432 (node metadata outrigger.tcp_upstreams): left out: local port 15001 is the outbound listener's",
      "db.shop:5432   | 9080  | TCP upstream db.shop:5432 (node metadata outrigger.tcp_upstreams): left out: local port 9080 is the application's port http's"})
  void anUpstreamTheModelCannotHonourIsLeftOutWithAWarning(String upstream, int localPort, String warning) {
    Translation translation = Translator.translate(Meshes.model(SERVICES), web(Map.of(upstream, localPort)), Endpoints.NONE);

    assertThat(translation.warnings()).containsExactly(warning);
    assertThat(translation.resources().of(ResourceType.LISTENER).keySet()).containsExactly("inbound", "outbound");
  }

  @Test
  void theInboundListenerPicksEachTcpPortsChainBySni() throws Exception {
    Workload db = Workload.of(Meshes.sidecar("db-1", "shop", "db", "db", "10.0.0.3", Map.of("sql", 15433)));
    Resources resources = translate(SERVICES, db);

    Listener inbound = unpack(resources, ResourceType.LISTENER, "inbound", Listener.class);
    assertThat(inbound.getListenerFiltersList()).extracting(f -> f.getName())
        .containsExactly("envoy.filters.listener.tls_inspector");
    FilterChain sql = inbound.getFilterChains(1);
    assertThat(sql.getFilterChainMatch().getServerNamesList()).containsExactly("outbound-5432.db.shop.svc.cluster.local");
    assertThat(sql.getFilters(0).getTypedConfig().unpack(TcpProxy.class).getCluster()).isEqualTo("inbound|5432||");
    assertThat(unpack(resources, ResourceType.CLUSTER, "inbound|5432||", Cluster.class).getLoadAssignment()
        .getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue()).isEqualTo(15433);
  }

  /** Paths and methods cannot be checked on bytes: ALLOW rules naming them never match, DENY rules match without them. */
  @Test
  void tcpRbacDropsWhatOnlyHttpHasTowardsDenying() throws Exception {
    MeshModel model = Meshes.model(SERVICES + """
        ---
        apiVersion: outrigger.dev/v1alpha1
        kind: AuthorizationPolicy
        metadata: {name: deny-deletes, namespace: shop}
        spec:
          action: DENY
          rules: [{to: [{methods: [DELETE]}]}]
        ---
        apiVersion: outrigger.dev/v1alpha1
        kind: AuthorizationPolicy
        metadata: {name: allow, namespace: shop}
        spec:
          action: ALLOW
          rules: [{to: [{paths: ["/api/*"]}, {ports: [5432]}, {ports: [8080]}]}]
        """);
    Workload db = Workload.of(Meshes.sidecar("db-1", "shop", "db", "db", "10.0.0.3", Map.of()));
    Listener inbound = unpack(Translator.translate(model, db, Endpoints.NONE).resources(), ResourceType.LISTENER,
        "inbound", Listener.class);

    FilterChain sql = inbound.getFilterChains(1);
    RBAC deny = rules(sql, 0);
    RBAC allow = rules(sql, 1);
    Permission any = Permission.newBuilder().setAny(true).build();
    Permission never = Permission.newBuilder().setNotRule(any).build();
    assertThat(deny.getAction()).isEqualTo(RBAC.Action.DENY);
    assertThat(deny.getPoliciesMap().values()).singleElement().satisfies(p -> assertThat(p.getPermissionsList()).containsExactly(any));
    assertThat(allow.getPoliciesMap().values()).singleElement().satisfies(p -> assertThat(p.getPermissionsList())
        .containsExactly(never, any, never));
    assertThat(sql.getFilters(2).getName()).isEqualTo("envoy.filters.network.tcp_proxy");
  }

  private static RBAC rules(FilterChain chain, int index) throws Exception {
    return chain.getFilters(index).getTypedConfig()
        .unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class).getRules();
  }
}
