package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Any;
import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.DiscoveryType;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.config.OutlierDetectionConfig;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/** Clusters: discovery type, endpoints, balancing, upstream protocol and TLS. */
final class ClusterTranslator {
  private static final String PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final Duration MIN_DNS_REFRESH = Duration.ofMillis(1);

  private final Translation translation;

  ClusterTranslator(Translation translation) {
    this.translation = translation;
  }

  /** Clusters by name, in document order. */
  Map<String, ClusterConfig> translate(List<Cluster> clusters, FieldPath path) {
    return translate(clusters, path::index);
  }

  /** @param paths where the i-th cluster's problems are reported (xDS: by resource name) */
  Map<String, ClusterConfig> translate(List<Cluster> clusters, IntFunction<FieldPath> paths) {
    Map<String, ClusterConfig> result = new LinkedHashMap<>();
    Map<String, FieldPath> names = new LinkedHashMap<>();
    for (int i = 0; i < clusters.size(); i++) {
      FieldPath clusterPath = paths.apply(i);
      Cluster cluster = clusters.get(i);
      if (cluster.getName().isEmpty()) {
        translation.error(clusterPath.field("name"), "required");
        continue;
      }
      FieldPath earlier = names.putIfAbsent(cluster.getName(), clusterPath);
      if (earlier != null) {
        translation.error(clusterPath.field("name"), "duplicate cluster name "
            + Translation.quote(cluster.getName()) + " (also " + earlier + ")");
        continue;
      }
      cluster(cluster, clusterPath).ifPresent(config -> result.put(config.name(), config));
    }
    return result;
  }

  private Optional<ClusterConfig> cluster(Cluster cluster, FieldPath path) {
    if (cluster.getType() == Cluster.DiscoveryType.EDS) {
      // An xDS cluster arrives here as STATIC with its EDS assignment (XdsTranslator).
      translation.error(path.field("type"), "EDS is supported in clusters from CDS only");
      return Optional.empty();
    }
    DiscoveryType type = DiscoveryType.valueOf(cluster.getType().name());
    Duration connectTimeout = cluster.hasConnectTimeout()
        ? translation.positiveDuration(cluster.getConnectTimeout(), path.field("connect_timeout"))
        : ClusterConfig.DEFAULT_CONNECT_TIMEOUT;
    Duration dnsRefreshRate = dnsRefreshRate(cluster, path.field("dns_refresh_rate"));
    List<EndpointConfig> endpoints = endpoints(cluster, type, path.field("load_assignment"));
    Optional<UpstreamProtocol> protocol = protocol(cluster, path);
    Optional<UpstreamTlsConfig> tls = Optional.empty();
    if (cluster.hasTransportSocket()) {
      FieldPath tlsPath = path.field("transport_socket").field("typed_config");
      List<String> defaultAlpn = defaultAlpn(protocol.orElse(UpstreamProtocol.HTTP1));
      tls = translation.unpack(cluster.getTransportSocket().getTypedConfig(), UpstreamTlsContext.class, tlsPath)
          .flatMap(context -> new TlsTranslator(translation).upstream(context, defaultAlpn, tlsPath));
    } else if (protocol.orElse(null) == UpstreamProtocol.ALPN) {
      translation.error(path.field("typed_extension_protocol_options").key(PROTOCOL_OPTIONS).field("auto_config"),
          "needs a TLS transport_socket to negotiate the protocol by ALPN");
    }
    HealthTranslator health = new HealthTranslator(translation);
    Optional<HealthCheckConfig> healthCheck = health.healthCheck(cluster, path.field("health_checks"));
    Optional<OutlierDetectionConfig> outlierDetection =
        health.outlierDetection(cluster, path.field("outlier_detection"));
    LoadBalancingTranslator balancingTranslator = new LoadBalancingTranslator(translation);
    LoadBalancingTranslator.Balancing balancing = balancingTranslator.translate(cluster, path);
    balancingTranslator.checkPriorities(endpoints, path.field("load_assignment").field("endpoints"));
    if (protocol.isEmpty()) {
      return Optional.empty();
    }
    CircuitBreakers breakers = new ResilienceTranslator(translation).circuitBreakers(cluster, path);
    return Optional.of(new ClusterConfig(cluster.getName(), type, connectTimeout, balancing.policy(), endpoints,
        protocol.get(), tls, dnsRefreshRate, breakers, healthCheck, outlierDetection, balancing.settings()));
  }

  @SuppressWarnings("deprecation") // dns_refresh_rate: in the subset, moving to the DNS cluster extension
  private Duration dnsRefreshRate(Cluster cluster, FieldPath path) {
    if (!cluster.hasDnsRefreshRate()) {
      return ClusterConfig.DEFAULT_DNS_REFRESH_RATE;
    }
    Duration rate = translation.duration(cluster.getDnsRefreshRate(), path);
    if (rate.compareTo(MIN_DNS_REFRESH) < 0) {
      translation.error(path, "must be at least 1ms");
    }
    return rate;
  }

  private List<EndpointConfig> endpoints(Cluster cluster, DiscoveryType type, FieldPath path) {
    List<EndpointConfig> endpoints = new ArrayList<>();
    List<LocalityLbEndpoints> localities = cluster.getLoadAssignment().getEndpointsList();
    for (int i = 0; i < localities.size(); i++) {
      List<LbEndpoint> lbEndpoints = localities.get(i).getLbEndpointsList();
      for (int j = 0; j < lbEndpoints.size(); j++) {
        FieldPath endpointPath = path.field("endpoints").index(i).field("lb_endpoints").index(j);
        endpoint(lbEndpoints.get(j), localities.get(i).getPriority(), type, endpointPath).ifPresent(endpoints::add);
      }
    }
    if (type == DiscoveryType.LOGICAL_DNS && endpoints.size() != 1) {
      translation.error(path.field("endpoints"),
          "LOGICAL_DNS needs exactly one endpoint, found " + endpoints.size());
    }
    return endpoints;
  }

  private Optional<EndpointConfig> endpoint(LbEndpoint lbEndpoint, int priority, DiscoveryType type, FieldPath path) {
    int weight = 1;
    if (lbEndpoint.hasLoadBalancingWeight()) {
      weight = lbEndpoint.getLoadBalancingWeight().getValue();
      if (weight < 1) {
        translation.error(path.field("load_balancing_weight"), "must be at least 1");
      }
    }
    FieldPath socketPath = path.field("endpoint").field("address").field("socket_address");
    if (!lbEndpoint.getEndpoint().getAddress().hasSocketAddress()) {
      translation.error(socketPath, "required");
      return Optional.empty();
    }
    SocketAddress socket = lbEndpoint.getEndpoint().getAddress().getSocketAddress();
    boolean hostOk;
    if (type == DiscoveryType.STATIC) {
      hostOk = SocketAddresses.ipLiteral(socket.getAddress(), socketPath.field("address"), translation).isPresent();
    } else {
      hostOk = !socket.getAddress().isEmpty();
      if (!hostOk) {
        translation.error(socketPath.field("address"), "required");
      }
    }
    boolean portOk = SocketAddresses.port(socket.getPortValue(), 1, socketPath.field("port_value"), translation);
    return hostOk && portOk
        ? Optional.of(new EndpointConfig(socket.getAddress(), socket.getPortValue(), weight, priority))
        : Optional.empty();
  }

  /** From {@code HttpProtocolOptions}; HTTP/1.1 when absent, as in Envoy. */
  private Optional<UpstreamProtocol> protocol(Cluster cluster, FieldPath path) {
    Map<String, Any> options = cluster.getTypedExtensionProtocolOptionsMap();
    FieldPath optionsPath = path.field("typed_extension_protocol_options");
    for (String key : options.keySet()) {
      if (!key.equals(PROTOCOL_OPTIONS)) {
        translation.error(optionsPath.key(key), "the key must be " + PROTOCOL_OPTIONS);
      }
    }
    Any any = options.get(PROTOCOL_OPTIONS);
    if (any == null) {
      return Optional.of(UpstreamProtocol.HTTP1);
    }
    FieldPath configPath = optionsPath.key(PROTOCOL_OPTIONS);
    return translation.unpack(any, HttpProtocolOptions.class, configPath).flatMap(http -> {
      switch (http.getUpstreamProtocolOptionsCase()) {
        case EXPLICIT_HTTP_CONFIG:
          switch (http.getExplicitHttpConfig().getProtocolConfigCase()) {
            case HTTP_PROTOCOL_OPTIONS:
              return Optional.of(UpstreamProtocol.HTTP1);
            case HTTP2_PROTOCOL_OPTIONS:
              return Optional.of(UpstreamProtocol.HTTP2);
            default:
              translation.error(configPath.field("explicit_http_config"),
                  "one of http_protocol_options, http2_protocol_options is required");
              return Optional.empty();
          }
        case AUTO_CONFIG:
          return Optional.of(UpstreamProtocol.ALPN);
        default:
          translation.error(configPath, "one of explicit_http_config, auto_config is required");
          return Optional.empty();
      }
    });
  }

  /** What Envoy offers by ALPN when the TLS context names no protocols. */
  private static List<String> defaultAlpn(UpstreamProtocol protocol) {
    switch (protocol) {
      case HTTP2:
        return List.of("h2");
      case ALPN:
        return List.of("h2", "http/1.1");
      default:
        return List.of();
    }
  }
}
