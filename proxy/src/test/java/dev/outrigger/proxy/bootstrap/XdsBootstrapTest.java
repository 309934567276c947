package dev.outrigger.proxy.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dynamic_resources} in a bootstrap, and resources from xDS through {@link XdsTranslator}. */
class XdsBootstrapTest {
  private static final String XDS_CLUSTER = """
          - name: xds
            type: STATIC
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
            load_assignment:
              cluster_name: xds
              endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 15010 } } } }] }]
        """;
  private static final String ADS = """
        node: { id: sidecar-1, metadata: { service: greeter } }
        dynamic_resources:
          ads_config: { api_type: DELTA_GRPC, transport_api_version: V3, grpc_services: [{ envoy_grpc: { cluster_name: xds } }] }
          lds_config: { ads: {} }
          cds_config: { ads: {} }
        """;
  private static final ConfigSource ADS_SOURCE =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  @Test
  void dynamicResourcesNameTheAdsStream() throws ConfigException {
    LoadedBootstrap loaded = BootstrapLoader.loadBootstrapYaml(ADS + "static_resources:\n  clusters:\n" + XDS_CLUSTER);
    AdsSource ads = loaded.ads().orElseThrow();
    assertThat(ads.delta()).isTrue();
    assertThat(ads.cluster().name()).isEqualTo("xds");
    assertThat(ads.node().getMetadata().getFieldsMap()).containsKey("service");
    assertThat(ads.listeners()).isTrue();
    assertThat(ads.clusters()).isTrue();
    assertThat(loaded.staticConfig().clusters()).containsOnlyKeys("xds");
  }

  @Test
  void everyProblemOfTheAdsSourceIsReportedByPath() {
    String yaml = """
        dynamic_resources:
          ads_config: { api_type: REST, grpc_services: [{ envoy_grpc: { cluster_name: nope } }] }
          lds_config: { path_config_source: { path: /etc/lds.yaml } }
          cds_config: { resource_api_version: V3 }
        static_resources:
          clusters:
        """ + XDS_CLUSTER;
    assertThat(errors(yaml)).containsExactly(
        "dynamic_resources.lds_config.path_config_source: not supported: a config source is ads ({ads: {}});"
            + " secrets also come from static_resources.secrets or, for default and ROOTCA, from the proxy's"
            + " identity source",
        "dynamic_resources.ads_config.api_type: REST is not supported (supported: DELTA_GRPC, GRPC)",
        "node.id: required with dynamic_resources: the control plane knows a proxy by it",
        "dynamic_resources.cds_config: ads is required: {ads: {}} (the only config source)",
        "dynamic_resources.ads_config.transport_api_version: required: V3",
        "dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name: unknown cluster \"nope\" (must be in static_resources)");
  }

  @Test
  void theAdsClusterMustSpeakHttp2() {
    String yaml = ADS + """
        static_resources:
          clusters:
          - name: xds
            type: STATIC
            load_assignment:
              cluster_name: xds
              endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 15010 } } } }] }]
        """;
    assertThat(errors(yaml)).containsExactly("dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name: "
        + "cluster \"xds\" must speak HTTP/2 (gRPC): set typed_extension_protocol_options with "
        + "explicit_http_config.http2_protocol_options");
  }

  @Test
  void rdsAndEdsBelongToResourcesFromXds() {
    String yaml = """
        static_resources:
          listeners:
          - name: web
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: web
                  rds: { route_config_name: web, config_source: { ads: {} } }
                  http_filters: [{ name: envoy.filters.http.router, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router } }]
          clusters:
          - { name: app, type: EDS, eds_cluster_config: { eds_config: { ads: {} } } }
        """;
    assertThat(errors(yaml)).containsExactly(
        "static_resources.clusters[0].type: EDS is supported in clusters from CDS only",
        "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.rds: "
            + "not supported in static_resources: rds works in listeners from LDS");
  }

  @Test
  void xdsResourcesAreCheckedByResourceNameAndMayNotTakeStaticNames() throws ConfigException {
    XdsTranslator translator = BootstrapLoader.loadBootstrapYaml(ADS + "static_resources:\n  clusters:\n" + XDS_CLUSTER)
        .xdsTranslator();
    Cluster clash = Cluster.newBuilder().setName("xds").setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS_SOURCE)).build();
    ClusterLoadAssignment withPolicy = ClusterLoadAssignment.newBuilder().setClusterName("xds")
        .setPolicy(ClusterLoadAssignment.Policy.getDefaultInstance().toBuilder().setWeightedPriorityHealth(true)).build();
    XdsTranslator.Result result = translator.translate(new XdsResources(
        Map.of(), Map.of(), Map.of("xds", clash), Map.of("xds", withPolicy)));
    assertThat(result.errors()).extracting(ConfigError::toString).containsExactly(
        "cluster_load_assignment[xds].policy: not supported",
        "cluster[xds].name: duplicate cluster name \"xds\" (also static_resources.clusters[0])");
    assertThat(result.config()).isEmpty();
  }

  @Test
  void aReferenceToAClusterNotYetDeliveredIsAwaitedNotAnError() throws ConfigException {
    XdsTranslator translator = BootstrapLoader.loadBootstrapYaml(ADS + "static_resources:\n  clusters:\n" + XDS_CLUSTER)
        .xdsTranslator();
    Listener tcp = Listener.newBuilder()
        .setName("tcp")
        .setAddress(io.envoyproxy.envoy.config.core.v3.Address.newBuilder().setSocketAddress(
            io.envoyproxy.envoy.config.core.v3.SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(0)))
        .addFilterChains(io.envoyproxy.envoy.config.listener.v3.FilterChain.newBuilder().addFilters(
            Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Any.pack(TcpProxy.newBuilder().setStatPrefix("tcp").setCluster("db").build()))))
        .build();
    XdsTranslator.Result result = translator.translate(
        new XdsResources(Map.of("tcp", tcp), Map.<String, RouteConfiguration>of(), Map.of(), Map.of()));
    assertThat(result.errors()).isEmpty();
    assertThat(result.awaited()).containsExactly("cluster \"db\"");
    assertThat(result.config()).isEmpty();
  }

  private static List<String> errors(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadBootstrapYaml(yaml))
        .errors().stream().map(ConfigError::toString).toList();
  }
}
