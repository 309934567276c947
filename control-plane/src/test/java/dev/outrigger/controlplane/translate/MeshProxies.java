package dev.outrigger.controlplane.translate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.outrigger.controlplane.ca.CertificateAuthority;
import dev.outrigger.controlplane.ca.IssuedCertificate;
import dev.outrigger.controlplane.ca.KeyAlgorithm;
import dev.outrigger.controlplane.ca.Pem;
import dev.outrigger.controlplane.ca.TtlPolicy;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.state.StateDir;
import dev.outrigger.controlplane.xds.Resource;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Real Outrigger proxies configured by the translator, in this process: each sidecar's resources
 * become a static bootstrap (RDS and EDS inlined, as its xDS client would resolve them) with its
 * workload certificate and the mesh's roots as static secrets, issued by a real CA. So that tests
 * can run beside each other, every listener binds 127.0.0.1 on a free port and the peers'
 * inbound port 15006 in endpoints becomes the port the peer's inbound listener really got.
 */
final class MeshProxies implements AutoCloseable {
  private final CertificateAuthority ca;
  private final List<Proxy> started = new ArrayList<>();

  MeshProxies(Path stateDir) throws Exception {
    ca = CertificateAuthority.open(StateDir.open(stateDir), TrustDomain.parse("cluster.local"), null,
        TtlPolicy.DEFAULT, Clock.systemUTC());
  }

  /** Starts the sidecar {@code proxy} of {@code model}; its peers' inbound listeners are on {@code peerInboundPort}. */
  Proxy start(MeshModel model, Workload proxy, Endpoints endpoints, int peerInboundPort) throws Exception {
    Resources resources = Translator.translate(model, proxy, endpoints).resources();
    Bootstrap.StaticResources.Builder statics = Bootstrap.StaticResources.newBuilder();
    for (Resource resource : resources.of(ResourceType.LISTENER).values()) {
      statics.addListeners(onFreePort(inlineRoutes(resource.body().unpack(Listener.class), resources)));
    }
    for (Resource resource : resources.of(ResourceType.CLUSTER).values()) {
      statics.addClusters(inlineEndpoints(resource.body().unpack(Cluster.class), resources, peerInboundPort));
    }
    Workload.Identity identity = proxy.workload().orElseThrow();
    secrets(identity, statics);
    Proxy running = Proxy.start(BootstrapLoader.translate(Bootstrap.newBuilder()
        .setNode(Node.newBuilder().setId(proxy.nodeId())).setStaticResources(statics).build()));
    started.add(running);
    return running;
  }

  private void secrets(Workload.Identity identity, Bootstrap.StaticResources.Builder statics) throws Exception {
    KeyPair keys = KeyAlgorithm.newEcP256();
    IssuedCertificate issued = ca.issueServing(keys.getPublic(), SpiffeId.parse(Names.spiffeId("cluster.local",
        identity.service().namespace(), identity.serviceAccount().orElseThrow())), List.of(), List.of());
    statics.addSecrets(Secret.newBuilder().setName(Names.WORKLOAD_CERTIFICATE).setTlsCertificate(
        TlsCertificate.newBuilder()
            .setCertificateChain(inline(Pem.certificates(issued.chain())))
            .setPrivateKey(inline(Pem.privateKey(keys.getPrivate())))));
    statics.addSecrets(Secret.newBuilder().setName(Names.WORKLOAD_BUNDLE).setValidationContext(
        CertificateValidationContext.newBuilder().setTrustedCa(inline(Pem.certificates(issued.bundle())))));
  }

  private static DataSource inline(String pem) {
    return DataSource.newBuilder().setInlineString(pem).build();
  }

  private static Listener onFreePort(Listener listener) {
    return listener.toBuilder().setAddress(Clusters.address("127.0.0.1", 0)).build();
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

  private static Cluster inlineEndpoints(Cluster cluster, Resources resources, int peerInboundPort)
      throws InvalidProtocolBufferException {
    if (cluster.getType() != Cluster.DiscoveryType.EDS) {
      return cluster;
    }
    ClusterLoadAssignment.Builder endpoints = resources.of(ResourceType.ENDPOINT).get(cluster.getName()).body()
        .unpack(ClusterLoadAssignment.class).toBuilder();
    for (LocalityLbEndpoints.Builder locality : endpoints.getEndpointsBuilderList()) {
      for (LbEndpoint.Builder endpoint : locality.getLbEndpointsBuilderList()) {
        var address = endpoint.getEndpointBuilder().getAddressBuilder().getSocketAddressBuilder();
        if (address.getPortValue() == Names.INBOUND_PORT) {
          address.setPortValue(peerInboundPort);
        }
      }
    }
    return cluster.toBuilder().clearEdsClusterConfig().setType(Cluster.DiscoveryType.STATIC)
        .setLoadAssignment(endpoints).build();
  }

  @Override
  public void close() {
    started.forEach(Proxy::close);
  }
}
