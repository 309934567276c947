package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.config.HttpFilterSettings;
import dev.outrigger.proxy.http.filter.ConnectionLocal;
import dev.outrigger.proxy.http.filter.FilterRequest;
import dev.outrigger.proxy.http.filter.FilterResources;
import dev.outrigger.proxy.http.filter.FilterVerdict;
import dev.outrigger.proxy.http.filter.HttpFilter;
import dev.outrigger.proxy.runtime.ConnectionContext;
import java.util.OptionalInt;

/**
 * {@code envoy.filters.http.rbac} in the HTTP filter chain: {@link HttpRbac} decides each request;
 * a denied one is answered {@link HttpRbac#DENIED_STATUS} and its response code details name the
 * matched policy. A route's {@code RBACPerRoute} makes a filter of its own.
 */
final class HttpRbacFilter implements HttpFilter {
  private static final FilterVerdict.Respond DENIED = new FilterVerdict.Respond(
      HttpRbac.DENIED_STATUS, HttpRbac.DENIED_BODY, null, OptionalInt.of(HttpRbac.GRPC_PERMISSION_DENIED));
  /** The peer's names, read from its certificate on the connection's first request. */
  private static final ConnectionLocal<PeerSlot> PEER = new ConnectionLocal<>(PeerSlot::new);

  private final HttpRbac rbac;
  /** Neither rules nor shadow rules (an {@code RBACPerRoute} without {@code rbac}): nothing to do. */
  private final boolean off;
  private final FilterResources resources;

  private HttpRbacFilter(HttpRbacConfig config, FilterResources resources) {
    this.rbac = HttpRbac.compile(config, resources.statPrefix(), resources.registry());
    this.off = config.rules().isEmpty() && config.shadowRules().isEmpty();
    this.resources = resources;
  }

  static HttpFilter of(HttpRbacConfig config, FilterResources resources) {
    return new HttpRbacFilter(config, resources);
  }

  @Override
  public FilterVerdict onRequest(FilterRequest request) {
    if (off) {
      return FilterVerdict.CONTINUE;
    }
    PeerIdentity peer = request.connectionLocal(PEER).of(request.connection());
    Decision decision = rbac.decide(new HttpAuthzRequest(request.connection(), peer,
        request.streamInfo().downstreamRemoteAddress(), request.method(), request.path(), request.headers()));
    if (decision.allowed()) {
      return FilterVerdict.CONTINUE;
    }
    request.streamInfo().responseCodeDetails(decision.responseDetail());
    return DENIED;
  }

  @Override
  public HttpFilter forRoute(HttpFilterSettings override) {
    return of((HttpRbacConfig) override, resources);
  }

  /** One connection's peer identity, made on first use; only the connection's event loop touches it. */
  private static final class PeerSlot {
    private PeerIdentity peer;

    PeerIdentity of(ConnectionContext connection) {
      if (peer == null) {
        peer = PeerIdentity.of(connection.peerCertificate());
      }
      return peer;
    }
  }
}
