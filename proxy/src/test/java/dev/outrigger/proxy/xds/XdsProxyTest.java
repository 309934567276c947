package dev.outrigger.proxy.xds;

import static dev.outrigger.proxy.xds.MeshResources.NODE;
import static dev.outrigger.proxy.xds.MeshResources.assignment;
import static dev.outrigger.proxy.xds.MeshResources.edsCluster;
import static dev.outrigger.proxy.xds.MeshResources.listener;
import static dev.outrigger.proxy.xds.MeshResources.mesh;
import static dev.outrigger.proxy.xds.MeshResources.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.ProxyOptions;
import dev.outrigger.proxy.admin.ServerState;
import dev.outrigger.proxy.testing.KeepAliveConnection;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A running proxy fed by java-control-plane: endpoint updates in place, warming, NACKs that leave
 * the running config serving, and a control plane that goes away and comes back. Real upstreams,
 * real clients.
 */
class XdsProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<CountingUpstream> upstreams = new ArrayList<>();
  private ReferenceControlPlane controlPlane;
  private Proxy proxy;

  @BeforeEach
  void startControlPlane() throws Exception {
    controlPlane = new ReferenceControlPlane();
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    controlPlane.close();
    for (CountingUpstream upstream : upstreams) {
      upstream.close();
    }
  }

  @Test
  void anEndpointUpdateKeepsTheRequestInFlightAndThePooledConnectionOfWhatStays() throws Exception {
    CountingUpstream a = upstream("a");
    CountingUpstream b = upstream("b");
    CountingUpstream c = upstream("c");
    start(mesh("1", a.port(), b.port()), false);
    // Round robin over a and b, one request at a time: each keeps one pooled connection.
    for (int i = 0; i < 4; i++) {
      assertThat(get("/warm").statusCode()).isEqualTo(200);
    }
    assertThat(a.accepted).hasValue(1);
    assertThat(b.accepted).hasValue(1);

    CompletableFuture<HttpResponse<String>> slow = client.sendAsync(request("/slow"), HttpResponse.BodyHandlers.ofString());
    await().atMost(WAIT).until(() -> a.paths.contains("/slow") || b.paths.contains("/slow"));
    CountingUpstream stays = a.paths.contains("/slow") ? a : b;
    CountingUpstream leaves = stays == a ? b : a;
    int leftWith = leaves.paths.size();

    controlPlane.cache.setSnapshot(NODE, mesh("2", stays.port(), c.port()));
    await().atMost(WAIT).until(() -> proxy.configVersion().contains("eds=2"));
    // The endpoint that left drains: its idle pooled connection closes.
    await().atMost(WAIT).until(() -> leaves.open.get() == 0);
    assertThat(slow).isNotDone();

    stays.release();
    HttpResponse<String> slowResponse = slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(slowResponse.statusCode()).isEqualTo(200);
    assertThat(slowResponse.body()).isEqualTo(stays.name + " /slow");

    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> response = get("/after");
      assertThat(response.statusCode()).isEqualTo(200);
      answered.add(response.body());
    }
    assertThat(answered).containsExactlyInAnyOrder(stays.name + " /after", "c /after");
    // The connection that carried the slow request went back to the pool and was used again.
    assertThat(stays.accepted).hasValue(1);
    assertThat(leaves.paths).hasSize(leftWith);
  }

  @Test
  void aClusterReplacedByAConfigChangeFinishesItsRequestInFlight() throws Exception {
    CountingUpstream a = upstream("a");
    start(mesh("1", a.port()), false);
    CompletableFuture<HttpResponse<String>> slow = client.sendAsync(request("/slow"), HttpResponse.BodyHandlers.ofString());
    await().atMost(WAIT).until(() -> a.paths.contains("/slow"));

    Cluster slower = edsCluster("backend").toBuilder()
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2))
        .build();
    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        List.of(slower), List.of(assignment("backend", a.port())),
        List.of(listener("ingress", "ingress-routes")), List.of(routes("ingress-routes", "backend")), List.of(), "2"));
    await().atMost(WAIT).until(() -> proxy.configVersion().contains("cds=2"));
    assertThat(slow).isNotDone();

    a.release();
    HttpResponse<String> slowResponse = slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(slowResponse.statusCode()).isEqualTo(200);
    assertThat(slowResponse.body()).isEqualTo("a /slow");
    // The new cluster has pools of its own; the old one's connection closes once its request ended.
    assertThat(get("/after").body()).isEqualTo("a /after");
    assertThat(a.accepted).hasValue(2);
    await().atMost(WAIT).until(() -> a.open.get() == 1);
  }

  @Test
  void anRdsUpdateKeepsTheKeepAliveConnectionWhoseNextRequestTakesTheNewRoute() throws Exception {
    CountingUpstream a = upstream("a");
    CountingUpstream b = upstream("b");
    a.release();
    b.release();
    List<Cluster> clusters = List.of(edsCluster("backend"), edsCluster("other"));
    List<io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment> endpoints =
        List.of(assignment("backend", a.port()), assignment("other", b.port()));
    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        clusters, endpoints, List.of(listener("ingress", "ingress-routes")),
        List.of(routes("ingress-routes", "backend")), List.of(), "1"));
    proxy = Proxy.start(MeshResources.withAdmin(controlPlane.port(), false), ProxyOptions.defaults().withThreads(1));
    await().atMost(WAIT).until(() -> proxy.state() == ServerState.LIVE);
    try (KeepAliveConnection connection = new KeepAliveConnection(proxy.listenerAddress("ingress").getPort(), WAIT)) {
      assertThat(connection.get("/one").body()).isEqualTo("a /one");

      controlPlane.cache.setSnapshot(NODE, Snapshot.create(
          clusters, endpoints, List.of(listener("ingress", "ingress-routes")),
          List.of(routes("ingress-routes", "other")), List.of(), "2"));
      await().atMost(WAIT).until(() -> proxy.configVersion().contains("rds=2"));

      assertThat(connection.get("/two").body()).isEqualTo("b /two");
    }
    assertThat(admin("/metrics").body()).contains("outrigger_downstream_connections_total{listener=\"ingress\"} 1.0");
  }

  @Test
  void aListenerWaitsForItsRoutesAndAClusterForItsEndpoints() throws Exception {
    CountingUpstream a = upstream("a");
    CountingUpstream b = upstream("b");
    a.release();
    b.release();
    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        List.of(edsCluster("backend")), List.of(assignment("backend", a.port())),
        List.of(listener("ingress", "ingress-routes")), List.of(), List.of(), "1"));
    proxy = Proxy.start(MeshResources.withAdmin(controlPlane.port(), false), ProxyOptions.defaults().withThreads(1));

    await().atMost(WAIT).until(() -> status().awaited().contains("route_configuration \"ingress-routes\""));
    assertThat(proxy.state()).isEqualTo(ServerState.INITIALIZING);
    assertThat(admin("/ready").statusCode()).isEqualTo(503);
    assertThatThrownBy(() -> proxy.listenerAddress("ingress")).isInstanceOf(NoSuchElementException.class);

    controlPlane.cache.setSnapshot(NODE, mesh("2", a.port()));
    await().atMost(WAIT).until(() -> proxy.state() == ServerState.LIVE);
    assertThat(get("/extra").body()).isEqualTo("a /extra");

    // A route to a new cluster whose endpoints have not come: the running config keeps serving.
    Cluster extra = edsCluster("extra");
    RouteConfiguration withExtra = routes("ingress-routes", "backend").toBuilder()
        .setVirtualHosts(0, routes("ingress-routes", "backend").getVirtualHosts(0).toBuilder()
            .addRoutes(0, Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/extra"))
                .setRoute(RouteAction.newBuilder().setCluster("extra"))))
        .build();
    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        List.of(edsCluster("backend"), extra), List.of(assignment("backend", a.port())),
        List.of(listener("ingress", "ingress-routes")), List.of(withExtra), List.of(), "3"));
    await().atMost(WAIT).until(() -> status().awaited().contains("cluster_load_assignment \"extra\""));
    assertThat(get("/extra").body()).isEqualTo("a /extra");
    assertThat(b.paths).isEmpty();

    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        List.of(edsCluster("backend"), extra), List.of(assignment("backend", a.port()), assignment("extra", b.port())),
        List.of(listener("ingress", "ingress-routes")), List.of(withExtra), List.of(), "4"));
    await().atMost(WAIT).until(() -> get("/extra").body().equals("b /extra"));
    assertThat(status().awaited()).isEmpty();
  }

  @Test
  void anInvalidRouteConfigurationIsNackedWithItsPathAndThePreviousRoutesKeepServing() throws Exception {
    CountingUpstream a = upstream("a");
    CountingUpstream b = upstream("b");
    a.release();
    // Delta: java-control-plane answers a state-of-the-world NACK by sending the rejected version again, in a loop.
    start(mesh("1", a.port()), true);

    // Valid clusters, and routes to the new one that cannot be compiled.
    RouteConfiguration invalid = routes("ingress-routes", "other").toBuilder()
        .setVirtualHosts(0, routes("ingress-routes", "other").getVirtualHosts(0).toBuilder()
            .addRoutes(0, Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/(a")))
                .setRoute(RouteAction.newBuilder().setCluster("other"))))
        .build();
    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        List.of(edsCluster("backend"), edsCluster("other")),
        List.of(assignment("backend", a.port()), assignment("other", b.port())),
        List.of(listener("ingress", "ingress-routes")), List.of(invalid), List.of(), "2"));

    String path = "route_configuration[ingress-routes].virtual_hosts[0].routes[0].match.safe_regex.regex: ";
    await().atMost(WAIT).untilAsserted(() -> assertThat(controlPlane.deltaRequests)
        .filteredOn(DeltaDiscoveryRequest::hasErrorDetail)
        .extracting(request -> request.getErrorDetail().getMessage()).anySatisfy(message -> assertThat(message)
            .startsWith(path + "invalid regex \"/(a\"")));
    await().atMost(WAIT).until(() -> status().types().get(XdsType.CLUSTER).ackedVersion().equals("2"));
    assertThat(get("/hello").body()).isEqualTo("a /hello");
    assertThat(b.paths).isEmpty();
    assertThat(admin("/ready").statusCode()).isEqualTo(200);

    JsonNode xds = new ObjectMapper().readTree(admin("/config_dump").body()).get("xds");
    assertThat(xds.get("control_plane").asText()).isEqualTo("127.0.0.1:" + controlPlane.port());
    assertThat(xds.get("connected").asBoolean()).isTrue();
    JsonNode rds = xds.get("types").get("ROUTE");
    assertThat(rds.get("acked_version").asText()).isEqualTo("1");
    assertThat(rds.get("received_nonce").asText()).isNotEmpty();
    assertThat(rds.get("last_nack").get("version").asText()).isEqualTo("2");
    assertThat(rds.get("last_nack").get("message").asText()).startsWith(path);
    assertThat(rds.get("last_nack").get("at").asText()).isNotEmpty();
    assertThat(xds.get("types").get("CLUSTER").get("last_nack").isNull()).isTrue();
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void withoutTheControlPlaneTheProxyKeepsServingAndConvergesWhenItReturns(boolean delta) throws Exception {
    CountingUpstream a = upstream("a");
    CountingUpstream b = upstream("b");
    a.release();
    b.release();
    start(mesh("1", a.port()), delta);
    await().atMost(WAIT).until(() -> status().connected());

    controlPlane.stop();
    await().atMost(WAIT).until(() -> !status().connected());
    assertThat(get("/hello").body()).isEqualTo("a /hello");
    assertThat(admin("/ready").statusCode()).isEqualTo(200);
    assertThat(admin("/metrics").body()).contains("outrigger_xds_connected 0.0");

    controlPlane.cache.setSnapshot(NODE, mesh("2", b.port()));
    controlPlane.restart();
    await().atMost(WAIT).until(() -> get("/hello").body().equals("b /hello"));
    assertThat(status().connected()).isTrue();
    assertThat(admin("/ready").statusCode()).isEqualTo(200);
    assertThat(admin("/metrics").body()).contains("outrigger_xds_connected 1.0");
    if (delta) {
      // The new stream says what the proxy holds.
      assertThat(controlPlane.deltaRequests)
          .anySatisfy(request -> assertThat(request.getInitialResourceVersionsMap()).containsKey("ingress"));
    } else {
      // The new stream's first requests carry the versions the proxy runs.
      assertThat(controlPlane.requests.stream()
              .filter(request -> request.getResponseNonce().isEmpty())
              .map(DiscoveryRequest::getVersionInfo))
          .contains("1");
    }
  }

  private void start(Snapshot snapshot, boolean delta) throws Exception {
    controlPlane.cache.setSnapshot(NODE, snapshot);
    proxy = Proxy.start(MeshResources.withAdmin(controlPlane.port(), delta), ProxyOptions.defaults().withThreads(1));
    await().atMost(WAIT).until(() -> proxy.state() == ServerState.LIVE);
  }

  private XdsStatus status() {
    return proxy.xdsStatus().orElseThrow();
  }

  private CountingUpstream upstream(String name) throws Exception {
    CountingUpstream upstream = new CountingUpstream(name);
    upstreams.add(upstream);
    return upstream;
  }

  private HttpRequest request(String path) {
    int port = proxy.listenerAddress("ingress").getPort();
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(request(path), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admin(String path) throws Exception {
    int port = proxy.adminAddress().orElseThrow().getPort();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
