package dev.outrigger.proxy.authz;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The decision of {@code envoy.filters.http.rbac} for one filter (or one route's
 * {@code RBACPerRoute} override). A denied request is answered {@link #DENIED_STATUS} with
 * {@link #DENIED_BODY} (gRPC: trailers-only {@link #GRPC_PERMISSION_DENIED}), its response code
 * details {@link Decision#responseDetail()} and no response flag, as Envoy does.
 */
public final class HttpRbac {
  public static final int DENIED_STATUS = 403;
  public static final String DENIED_BODY = "RBAC: access denied";
  public static final int GRPC_PERMISSION_DENIED = 7;

  private final Authorizer authorizer;

  private HttpRbac(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  /**
   * @param statPrefix the connection manager's {@code stat_prefix}, labelling the counters
   */
  public static HttpRbac compile(HttpRbacConfig config, String statPrefix, MeterRegistry registry) {
    return new HttpRbac(
        Authorizer.compile(config.rules(), config.shadowRules(), new RbacMeters(registry, "http", statPrefix)));
  }

  /** Evaluates the shadow rules (counted, logged) and then the enforced ones. */
  public Decision decide(HttpAuthzRequest request) {
    return authorizer.authorize(request);
  }
}
