package dev.outrigger.controlplane.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.util.List;

/** The two HTTP listeners of a sidecar: outbound (the app's calls) and inbound (peers' mTLS calls). */
final class Listeners {
  private static final HttpFilter ROUTER = HttpFilter.newBuilder().setName("envoy.filters.http.router")
      .setTypedConfig(Any.pack(Router.getDefaultInstance())).build();

  private static final ListenerFilter TLS_INSPECTOR = ListenerFilter.newBuilder()
      .setName("envoy.filters.listener.tls_inspector").setTypedConfig(Any.pack(TlsInspector.getDefaultInstance()))
      .build();

  private Listeners() {}

  /** {@code outbound} on 0.0.0.0:{@code port} (15001): plain HTTP from the app, routes from RDS {@code outbound}. */
  static Listener outbound(int port) {
    HttpConnectionManager manager = HttpConnectionManager.newBuilder()
        .setStatPrefix(Names.OUTBOUND)
        .setRds(Rds.newBuilder().setRouteConfigName(Names.OUTBOUND).setConfigSource(Clusters.ADS))
        .addHttpFilters(ROUTER)
        .build();
    return listener(Names.OUTBOUND, port, FilterChain.newBuilder().addFilters(hcm(manager)));
  }

  /**
   * {@code inbound} on 0.0.0.0:{@code port} (15006): mTLS with a client certificate required, the RBAC chain,
   * the caller's identity forwarded in {@code x-forwarded-client-cert}, and the local routes inline
   * (they change with the listener's own service only). The TCP ports' chains, picked by SNI (read
   * by the TLS inspector), come before it; HTTP takes every other connection.
   */
  static Listener inbound(int port, List<HttpFilter> rbac, RouteConfiguration routes, List<FilterChain> tcpChains) {
    DownstreamTlsContext tls = peerTls().toBuilder()
        .setCommonTlsContext(Clusters.mtls(List.of()).addAlpnProtocols("h2").addAlpnProtocols("http/1.1"))
        .build();
    HttpConnectionManager manager = HttpConnectionManager.newBuilder()
        .setStatPrefix(Names.INBOUND)
        .setRouteConfig(routes)
        .addAllHttpFilters(rbac)
        .addHttpFilters(ROUTER)
        .setForwardClientCertDetails(HttpConnectionManager.ForwardClientCertDetails.SANITIZE_SET)
        .setSetCurrentClientCertDetails(HttpConnectionManager.SetCurrentClientCertDetails.newBuilder().setUri(true))
        .build();
    Listener.Builder inbound = listener(Names.INBOUND, port, FilterChain.newBuilder()
        .setTransportSocket(Clusters.tls(tls)).addFilters(hcm(manager))).toBuilder();
    if (!tcpChains.isEmpty()) {
      inbound.addListenerFilters(TLS_INSPECTOR).addAllFilterChains(tcpChains);
    }
    return inbound.build();
  }

  /** A peer sidecar's mTLS: the workload certificate, a client certificate required and verified. */
  static DownstreamTlsContext peerTls() {
    return DownstreamTlsContext.newBuilder()
        .setRequireClientCertificate(BoolValue.of(true))
        .setCommonTlsContext(Clusters.mtls(List.of()))
        .build();
  }

  private static Filter hcm(HttpConnectionManager manager) {
    return Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
        .setTypedConfig(Any.pack(manager)).build();
  }

  private static Listener listener(String name, int port, FilterChain.Builder chain) {
    return Listener.newBuilder().setName(name).setAddress(Clusters.address("0.0.0.0", port))
        .addFilterChains(chain).build();
  }
}
