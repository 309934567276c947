package dev.outrigger.proxy.xds;

import static dev.outrigger.proxy.xds.MeshResources.ADS;
import static dev.outrigger.proxy.xds.MeshResources.NODE;
import static dev.outrigger.proxy.xds.MeshResources.assignment;
import static dev.outrigger.proxy.xds.MeshResources.edsCluster;
import static dev.outrigger.proxy.xds.MeshResources.listener;
import static dev.outrigger.proxy.xds.MeshResources.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Message;
import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SDS references in resources from the control plane: {@code default} and {@code ROOTCA} over ADS
 * are the proxy's own identity; any other name is rejected with its path, as secrets are not
 * fetched over the stream.
 */
class XdsSecretsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private ReferenceControlPlane controlPlane;
  private final RecordingSink sink = new RecordingSink();
  private XdsClient client;

  @BeforeEach
  void startControlPlane() throws Exception {
    controlPlane = new ReferenceControlPlane();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    controlPlane.close();
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void defaultAndRootcaOverAdsAreTheWorkloadIdentity(boolean delta) throws Exception {
    controlPlane.cache.setSnapshot(NODE, snapshot(tls("default", "ROOTCA")));
    start(delta);

    await().atMost(WAIT).until(() -> !sink.applied.isEmpty());
    UpstreamTlsConfig upstream = sink.last().config().clusters().get("backend").tls().orElseThrow();
    assertThat(upstream.workloadCertificate()).isTrue();
    assertThat(upstream.peerValidation().workloadBundle()).isTrue();
    DownstreamTlsConfig downstream =
        sink.last().config().listeners().get(0).filterChains().get(0).tls().orElseThrow();
    assertThat(downstream.usesWorkloadCertificate()).isTrue();
    assertThat(downstream.peerValidation().workloadBundle()).isTrue();
  }

  @ParameterizedTest(name = "delta={0}")
  @ValueSource(booleans = {false, true})
  void anyOtherSecretNameIsNackedWithItsPath(boolean delta) throws Exception {
    controlPlane.cache.setSnapshot(NODE, snapshot(tls("workload-cert", "ROOTCA")));
    start(delta);

    String cluster = "cluster[backend].transport_socket.typed_config.common_tls_context"
        + ".tls_certificate_sds_secret_configs[0].name: unknown secret \"workload-cert\"";
    String listener = "listener[ingress].filter_chains[0].transport_socket.typed_config.common_tls_context"
        + ".tls_certificate_sds_secret_configs[0].name: unknown secret \"workload-cert\"";
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(nackMessages(delta)).anySatisfy(message -> assertThat(message).startsWith(cluster));
      assertThat(nackMessages(delta)).anySatisfy(message -> assertThat(message).startsWith(listener));
    });
    assertThat(sink.applied).isEmpty();
  }

  private static CommonTlsContext tls(String certificate, String roots) {
    return CommonTlsContext.newBuilder()
        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName(certificate).setSdsConfig(ADS))
        .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder().setName(roots).setSdsConfig(ADS))
        .build();
  }

  /** The mesh of {@link MeshResources#mesh}, its listener and cluster speaking mTLS with {@code tls}. */
  private static Snapshot snapshot(CommonTlsContext tls) {
    Cluster cluster = edsCluster("backend").toBuilder()
        .setTransportSocket(tlsSocket(UpstreamTlsContext.newBuilder().setCommonTlsContext(tls).build()))
        .build();
    Listener plain = listener("ingress", "ingress-routes");
    Listener listener = plain.toBuilder()
        .setFilterChains(0, plain.getFilterChains(0).toBuilder().setTransportSocket(tlsSocket(
            DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(tls)
                .setRequireClientCertificate(BoolValue.of(true))
                .build())))
        .build();
    return Snapshot.create(List.of(cluster), List.of(assignment("backend", 9001)), List.of(listener),
        List.of(routes("ingress-routes", "backend")), List.of(), "1");
  }

  private static TransportSocket tlsSocket(Message context) {
    return TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(context)).build();
  }

  private void start(boolean delta) throws Exception {
    LoadedBootstrap bootstrap = MeshResources.bootstrap(controlPlane.port(), delta);
    client = XdsClient.start(bootstrap.ads().orElseThrow(), bootstrap.xdsTranslator(), sink, new SimpleMeterRegistry(),
        new ManualScheduler(), bound -> bound - 1, Clock.systemUTC());
  }

  private List<String> nackMessages(boolean delta) {
    Stream<com.google.rpc.Status> details = delta
        ? controlPlane.deltaRequests.stream().filter(DeltaDiscoveryRequest::hasErrorDetail)
            .map(DeltaDiscoveryRequest::getErrorDetail)
        : controlPlane.requests.stream().filter(DiscoveryRequest::hasErrorDetail).map(DiscoveryRequest::getErrorDetail);
    return details.map(com.google.rpc.Status::getMessage).flatMap(String::lines).toList();
  }
}
