package dev.outrigger.proxy.xds;

import static dev.outrigger.proxy.xds.MeshResources.NODE;
import static dev.outrigger.proxy.xds.MeshResources.assignment;
import static dev.outrigger.proxy.xds.MeshResources.edsCluster;
import static dev.outrigger.proxy.xds.MeshResources.listener;
import static dev.outrigger.proxy.xds.MeshResources.mesh;
import static dev.outrigger.proxy.xds.MeshResources.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import dev.outrigger.proxy.bootstrap.ConfigException;
import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The xDS client against java-control-plane's ADS server (the peer interop test), in
 * state-of-the-world ({@code delta = false}) and incremental mode, over real gRPC on loopback.
 */
class XdsClientInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private ReferenceControlPlane controlPlane;
  private final RecordingSink sink = new RecordingSink();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private XdsClient client;

  @BeforeEach
  void startControlPlane() throws IOException {
    controlPlane = new ReferenceControlPlane();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    controlPlane.close();
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void aSnapshotBecomesOneCompleteConfig(boolean delta) throws Exception {
    controlPlane.cache.setSnapshot(NODE, mesh("1", 9001));
    start(delta);

    await().atMost(WAIT).until(() -> !sink.applied.isEmpty());
    ProxyConfig config = sink.last().config();
    assertThat(config.listeners()).extracting(ListenerConfig::name).containsExactly("ingress");
    HttpConnectionManagerConfig hcm =
        (HttpConnectionManagerConfig) config.listeners().get(0).filterChains().get(0).filter();
    assertThat(hcm.routeTable().name()).isEqualTo("ingress-routes");
    ClusterConfig backend = config.clusters().get("backend");
    assertThat(backend.type()).isEqualTo(ClusterConfig.DiscoveryType.STATIC);
    assertThat(backend.endpoints()).containsExactly(new EndpointConfig("127.0.0.1", 9001, 1));
    assertThat(config.clusters()).containsKey("xds");
    assertThat(config.node().id()).isEqualTo(NODE);
    assertThat(sink.applied).hasSize(1);

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.status().types().values())
        .allSatisfy(type -> assertThat(type.ackedVersion()).isNotEmpty()));
    assertThat(client.status().connected()).isTrue();
    assertThat(client.status().appliedVersion()).contains(sink.last().version());
    assertThat(client.status().awaited()).isEmpty();
    assertThat(registry.get("outrigger.xds.connected").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("outrigger.xds.updates").tags("type", "lds", "result", "ack").counter().count())
        .isGreaterThanOrEqualTo(1.0);
    assertThat(firstNodeMetadata(delta)).containsKey("service");
    assertThat(nackMessages(delta)).isEmpty();
    assertThat(subscribedNames(delta, XdsType.ROUTE)).containsExactly("ingress-routes");
    assertThat(subscribedNames(delta, XdsType.ENDPOINT)).containsExactly("backend");
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void aRemovedListenerTakesItsRoutesAlong(boolean delta) throws Exception {
    controlPlane.cache.setSnapshot(NODE, mesh("1", 9001));
    start(delta);
    await().atMost(WAIT).until(() -> sink.applied.size() == 1);

    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        List.of(edsCluster("backend")), List.of(assignment("backend", 9001)), List.of(), List.of(), List.of(), "2"));

    await().atMost(WAIT).until(() -> sink.applied.size() == 2);
    assertThat(sink.last().config().listeners()).isEmpty();
    assertThat(sink.last().config().clusters()).containsKey("backend");
    if (delta) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(controlPlane.deltaRequests)
          .anySatisfy(request -> assertThat(request.getResourceNamesUnsubscribeList()).containsExactly("ingress-routes")));
    } else {
      await().atMost(WAIT).untilAsserted(() -> assertThat(controlPlane.requests).last()
          .satisfies(request -> assertThat(request.getTypeUrl()).isEqualTo(XdsType.ROUTE.typeUrl()))
          .satisfies(request -> assertThat(request.getResourceNamesList()).isEmpty()));
    }
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void aNewSnapshotBecomesANewConfig(boolean delta) throws Exception {
    controlPlane.cache.setSnapshot(NODE, mesh("1", 9001));
    start(delta);
    await().atMost(WAIT).until(() -> sink.applied.size() == 1);

    controlPlane.cache.setSnapshot(NODE, mesh("2", 9002));

    await().atMost(WAIT).until(() -> sink.applied.size() == 2);
    assertThat(sink.last().config().clusters().get("backend").endpoints())
        .containsExactly(new EndpointConfig("127.0.0.1", 9002, 1));
    assertThat(sink.last().version()).contains("eds=");
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void anUnsupportedFilterIsNackedAndTheLastConfigKeepsServing(boolean delta) throws Exception {
    controlPlane.cache.setSnapshot(NODE, mesh("1", 9001));
    start(delta);
    await().atMost(WAIT).until(() -> sink.applied.size() == 1);
    String acceptedLds = client.status().types().get(XdsType.LISTENER).ackedVersion();

    HttpConnectionManager withLua = HttpConnectionManager.newBuilder()
        .setStatPrefix("ingress")
        .setRds(Rds.newBuilder().setRouteConfigName("ingress-routes").setConfigSource(MeshResources.ADS))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.lua").setTypedConfig(Any.pack(Lua.getDefaultInstance())))
        .addHttpFilters(MeshResources.router())
        .build();
    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        List.of(edsCluster("backend")), List.of(assignment("backend", 9001)),
        List.of(listener("ingress", withLua)), List.of(routes("ingress-routes", "backend")), List.of(), "2"));

    String expected = "listener[ingress].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config: "
        + "unsupported HTTP filter envoy.filters.http.lua";
    // java-control-plane answers a SotW NACK (which names the old version) with the rejected
    // version again, so there may be several; each names the same problem.
    await().atMost(WAIT).untilAsserted(() -> assertThat(nackMessages(delta)).isNotEmpty().containsOnly(expected));
    TypeStatus lds = client.status().types().get(XdsType.LISTENER);
    assertThat(lds.lastNack()).hasValueSatisfying(nack -> {
      assertThat(nack.message()).isEqualTo(expected);
      assertThat(nack.version()).isEqualTo(lds.receivedVersion()).isNotEqualTo(acceptedLds);
      assertThat(nack.at()).isEqualTo(NOW);
    });
    assertThat(client.status().controlPlane()).isEqualTo("127.0.0.1:" + controlPlane.port());
    assertThat(lds.ackedVersion()).isEqualTo(acceptedLds);
    assertThat(registry.get("outrigger.xds.updates").tags("type", "lds", "result", "nack").counter().count())
        .isGreaterThanOrEqualTo(1.0);
    assertThat(sink.applied).hasSize(1);
  }

  @Test
  void aConfigTheProxyCannotApplyIsNacked() throws Exception {
    controlPlane.cache.setSnapshot(NODE, mesh("1", 9001));
    LoadedBootstrap bootstrap = MeshResources.bootstrap(controlPlane.port(), true);
    client = XdsClient.start(bootstrap.ads().orElseThrow(), bootstrap.xdsTranslator(), (config, version) -> {
      throw new IllegalStateException("cannot bind 127.0.0.1:0");
    }, registry, scheduler, bound -> bound - 1, CLOCK);

    await().atMost(WAIT).untilAsserted(() -> assertThat(nackMessages(true))
        .contains("the proxy could not apply the config: cannot bind 127.0.0.1:0"));
    assertThat(client.status().appliedVersion()).isEmpty();
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void aClusterWarmsUntilItsEndpointsArrive(boolean delta) throws Exception {
    // The cluster without its assignment: nothing complete to hand over.
    controlPlane.cache.setSnapshot(NODE, Snapshot.create(
        List.of(edsCluster("backend")), List.of(), List.of(listener("ingress", "ingress-routes")),
        List.of(routes("ingress-routes", "backend")), List.of(), "1"));
    start(delta);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.status().types().get(XdsType.CLUSTER).ackedVersion()).isNotEmpty();
      assertThat(client.status().types().get(XdsType.ROUTE).ackedVersion()).isNotEmpty();
      assertThat(client.status().awaited()).containsExactly("cluster_load_assignment \"backend\"");
    });
    assertThat(sink.applied).isEmpty();
    assertThat(client.status().appliedVersion()).isEmpty();

    controlPlane.cache.setSnapshot(NODE, mesh("2", 9001));

    await().atMost(WAIT).until(() -> sink.applied.size() == 1);
    assertThat(sink.last().config().clusters().get("backend").endpoints()).hasSize(1);
    assertThat(client.status().awaited()).isEmpty();
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void aLostControlPlaneIsReconnectedWithBackoffWhileTheConfigKeepsServing(boolean delta) throws Exception {
    controlPlane.cache.setSnapshot(NODE, mesh("1", 9001));
    start(delta);
    await().atMost(WAIT).until(() -> sink.applied.size() == 1);
    await().atMost(WAIT).until(() -> client.status().connected());

    controlPlane.stop();
    await().atMost(WAIT).until(() -> scheduler.pending() == 1);
    assertThat(client.status().connected()).isFalse();
    assertThat(registry.get("outrigger.xds.connected").gauge().value()).isZero();

    // Nobody listens: each attempt fails and schedules the next, with a growing ceiling.
    scheduler.runNext();
    await().atMost(WAIT).until(() -> scheduler.pending() == 1);
    scheduler.runNext();
    await().atMost(WAIT).until(() -> scheduler.pending() == 1);
    assertThat(scheduler.delays).hasSize(3);
    assertThat(scheduler.delays).allSatisfy(delay -> assertThat(delay).isLessThanOrEqualTo(XdsClient.BACKOFF_MAX));
    assertThat(scheduler.delays.get(2)).isGreaterThan(scheduler.delays.get(0));
    assertThat(sink.applied).hasSize(1);
    assertThat(client.status().appliedVersion()).isPresent();

    controlPlane.cache.setSnapshot(NODE, mesh("2", 9002));
    controlPlane.restart();
    scheduler.runNext();

    await().atMost(WAIT).until(() -> sink.applied.size() == 2);
    assertThat(sink.last().config().clusters().get("backend").endpoints())
        .containsExactly(new EndpointConfig("127.0.0.1", 9002, 1));
    assertThat(client.status().connected()).isTrue();
    assertThat(registry.get("outrigger.xds.reconnects").counter().count()).isEqualTo(3.0);
    if (delta) {
      // The new stream says what the proxy holds, so unchanged resources need not come again.
      assertThat(controlPlane.deltaRequests)
          .anySatisfy(request -> assertThat(request.getInitialResourceVersionsMap()).containsKey("ingress"));
    } else {
      assertThat(controlPlane.requests)
          .anySatisfy(request -> assertThat(request.getVersionInfo()).isEqualTo("1"));
    }
  }

  @Test
  void theBackoffIsJitteredUnderADoublingCeilingAndStartsOverOnceTheControlPlaneAnswers() throws Exception {
    controlPlane.cache.setSnapshot(NODE, mesh("1", 9001));
    List<Long> ceilings = new java.util.concurrent.CopyOnWriteArrayList<>();
    LoadedBootstrap bootstrap = MeshResources.bootstrap(controlPlane.port(), false);
    client = XdsClient.start(bootstrap.ads().orElseThrow(), bootstrap.xdsTranslator(), sink, registry, scheduler,
        bound -> {
          ceilings.add(bound);
          return bound / 2;
        }, CLOCK);
    await().atMost(WAIT).until(() -> client.status().connected());

    controlPlane.stop();
    for (int attempt = 0; attempt < 3; attempt++) {
      await().atMost(WAIT).until(() -> scheduler.pending() == 1);
      scheduler.runNext();
    }
    await().atMost(WAIT).until(() -> scheduler.pending() == 1);
    // Full jitter: each wait is drawn below (2^n - 1) x 500 ms.
    assertThat(ceilings).containsExactly(500L, 1500L, 3500L, 7500L);
    assertThat(scheduler.delays).containsExactly(
        Duration.ofMillis(250), Duration.ofMillis(750), Duration.ofMillis(1750), Duration.ofMillis(3750));

    controlPlane.restart();
    scheduler.runNext();
    await().atMost(WAIT).until(() -> client.status().connected());
    controlPlane.stop();
    await().atMost(WAIT).until(() -> scheduler.pending() == 1);
    assertThat(ceilings).last().isEqualTo(500L);
  }

  private void start(boolean delta) throws ConfigException {
    LoadedBootstrap bootstrap = MeshResources.bootstrap(controlPlane.port(), delta);
    client = XdsClient.start(bootstrap.ads().orElseThrow(), bootstrap.xdsTranslator(), sink, registry, scheduler,
        bound -> bound - 1, CLOCK);
  }

  private List<String> nackMessages(boolean delta) {
    Stream<com.google.rpc.Status> details = delta
        ? controlPlane.deltaRequests.stream().filter(DeltaDiscoveryRequest::hasErrorDetail)
            .map(DeltaDiscoveryRequest::getErrorDetail)
        : controlPlane.requests.stream().filter(DiscoveryRequest::hasErrorDetail).map(DiscoveryRequest::getErrorDetail);
    return details
        .peek(status -> assertThat(status.getCode()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE))
        .map(com.google.rpc.Status::getMessage)
        .toList();
  }

  /** The names the client's first request of {@code type} subscribed. */
  private List<String> subscribedNames(boolean delta, XdsType type) {
    return delta
        ? controlPlane.deltaRequests.stream().filter(request -> request.getTypeUrl().equals(type.typeUrl()))
            .findFirst().orElseThrow().getResourceNamesSubscribeList()
        : controlPlane.requests.stream().filter(request -> request.getTypeUrl().equals(type.typeUrl()))
            .findFirst().orElseThrow().getResourceNamesList();
  }

  private java.util.Map<String, com.google.protobuf.Value> firstNodeMetadata(boolean delta) {
    return delta
        ? controlPlane.deltaRequests.get(0).getNode().getMetadata().getFieldsMap()
        : controlPlane.requests.get(0).getNode().getMetadata().getFieldsMap();
  }
}
