package dev.outrigger.controlplane.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import dev.outrigger.controlplane.model.Service;
import dev.outrigger.controlplane.model.ServiceKey;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Clusters and their endpoints. A mesh service port is an EDS cluster over the service's
 * registered sidecars (their inbound port), spoken to in HTTP/2 over mTLS; a service with static
 * endpoints is outside the mesh (no sidecar) and is spoken to in plain text, at those endpoints.
 */
final class Clusters {
  private static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(5).build();
  private static final String PROTOCOL_OPTIONS_KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  /** IPv4 dotted quad, or anything with a colon (IPv6); host names have neither. */
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|.*:.*");
  static final ConfigSource ADS = ConfigSource.newBuilder()
      .setAds(AggregatedConfigSource.getDefaultInstance()).build();

  private Clusters() {}

  /**
   * {@code outbound|<port>||<name>.<namespace>}: EDS over ADS. To peer sidecars: HTTP/2 over mTLS
   * for an HTTP port; for a TCP port the bytes over mTLS with the port's SNI, which picks the
   * peer's TCP filter chain.
   */
  static Cluster outbound(Service service, Service.Port port, String trustDomain, Endpoints endpoints) {
    ServiceKey key = Names.key(service);
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(Names.outboundCluster(key, port.port()))
        .setConnectTimeout(CONNECT_TIMEOUT);
    if (resolvesNames(service)) {
      // EDS endpoints are addresses; host names are the proxy's to resolve, as STRICT_DNS.
      cluster.setType(Cluster.DiscoveryType.STRICT_DNS).setLoadAssignment(outboundEndpoints(service, port, endpoints));
    } else {
      cluster.setType(Cluster.DiscoveryType.EDS)
          .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS));
    }
    if (!service.endpoints().isEmpty()) {
      return http(cluster, port.protocol()).build();
    }
    CommonTlsContext.Builder mtls = mtls(peerIds(key, trustDomain, endpoints));
    if (port.protocol() == Service.Protocol.TCP) {
      return cluster.setTransportSocket(tls(UpstreamTlsContext.newBuilder().setCommonTlsContext(mtls)
          .setSni(Names.tcpServerName(key, port.port())).build())).build();
    }
    return cluster
        .putTypedExtensionProtocolOptions(PROTOCOL_OPTIONS_KEY, Any.pack(http2()))
        .setTransportSocket(tls(UpstreamTlsContext.newBuilder()
            .setCommonTlsContext(mtls.addAlpnProtocols("h2"))
            .build()))
        .build();
  }

  /** Whether {@code service}'s static endpoints include a host name (not an IP literal). */
  static boolean resolvesNames(Service service) {
    return service.endpoints().stream().anyMatch(endpoint -> !IP_LITERAL.matcher(endpoint.address()).matches());
  }

  /** The endpoints of {@code port}: the static ones, else the registered sidecars' inbound listeners (15006 unless declared). */
  static ClusterLoadAssignment outboundEndpoints(Service service, Service.Port port, Endpoints endpoints) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    if (!service.endpoints().isEmpty()) {
      service.endpoints().forEach(e -> locality.addLbEndpoints(endpoint(e.address(), e.portFor(port))));
    } else {
      endpoints.sidecars(Names.key(service)).forEach(sidecar ->
          locality.addLbEndpoints(endpoint(sidecar.workload().orElseThrow().address(), sidecar.ports().inbound())));
    }
    ClusterLoadAssignment.Builder assignment = ClusterLoadAssignment.newBuilder()
        .setClusterName(Names.outboundCluster(Names.key(service), port.port()));
    if (locality.getLbEndpointsCount() > 0) {
      assignment.addEndpoints(locality);
    }
    return assignment.build();
  }

  /** {@code inbound|<port>||}: the application on 127.0.0.1, in the port's own protocol. */
  static Cluster inbound(Service.Port port, int appPort) {
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(Names.inboundCluster(port.port()))
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(CONNECT_TIMEOUT)
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(Names.inboundCluster(port.port()))
            .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(endpoint("127.0.0.1", appPort))));
    return http(cluster, port.protocol()).build();
  }

  static Address address(String ip, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
  }

  /** Certificate {@code default} and roots {@code ROOTCA} (SPIFFE validation), optionally SAN-matched. */
  static CommonTlsContext.Builder mtls(List<SubjectAltNameMatcher> peers) {
    return CommonTlsContext.newBuilder()
        .addTlsCertificateSdsSecretConfigs(sds(Names.WORKLOAD_CERTIFICATE))
        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                .addAllMatchTypedSubjectAltNames(peers))
            .setValidationContextSdsSecretConfig(sds(Names.WORKLOAD_BUNDLE)));
  }

  static TransportSocket tls(Message context) {
    return TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
        .setTypedConfig(Any.pack(context)).build();
  }

  /**
   * The SPIFFE IDs the peer sidecars of {@code service} may present: the registered workloads'
   * service accounts; when none is registered or one has no declared service account, any
   * identity of the service's namespace.
   */
  private static List<SubjectAltNameMatcher> peerIds(ServiceKey service, String trustDomain, Endpoints endpoints) {
    List<Optional<String>> accounts = endpoints.sidecars(service).stream()
        .map(sidecar -> sidecar.workload().orElseThrow().serviceAccount()).distinct().sorted(
            (a, b) -> a.orElse("").compareTo(b.orElse(""))).toList();
    if (accounts.isEmpty() || accounts.stream().anyMatch(Optional::isEmpty)) {
      String prefix = "spiffe://" + trustDomain + "/ns/" + service.namespace() + "/";
      return List.of(san(StringMatcher.newBuilder().setPrefix(prefix).build()));
    }
    return accounts.stream().map(account -> san(StringMatcher.newBuilder()
        .setExact(Names.spiffeId(trustDomain, service.namespace(), account.orElseThrow())).build())).toList();
  }

  private static SubjectAltNameMatcher san(StringMatcher matcher) {
    return SubjectAltNameMatcher.newBuilder().setSanType(SubjectAltNameMatcher.SanType.URI)
        .setMatcher(matcher).build();
  }

  private static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ADS).build();
  }

  private static Cluster.Builder http(Cluster.Builder cluster, Service.Protocol protocol) {
    if (protocol == Service.Protocol.HTTP2 || protocol == Service.Protocol.GRPC) {
      cluster.putTypedExtensionProtocolOptions(PROTOCOL_OPTIONS_KEY, Any.pack(http2()));
    }
    return cluster;
  }

  private static HttpProtocolOptions http2() {
    return HttpProtocolOptions.newBuilder().setExplicitHttpConfig(
        HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build();
  }

  private static LbEndpoint endpoint(String address, int port) {
    return LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(address(address, port))).build();
  }
}
