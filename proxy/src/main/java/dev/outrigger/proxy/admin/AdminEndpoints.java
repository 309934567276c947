package dev.outrigger.proxy.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;

import dev.outrigger.proxy.metrics.ProxyMetrics;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import java.util.function.Function;

/** The admin endpoints, each a method, a path and one small function. */
final class AdminEndpoints {
  /** One endpoint: the method it answers and how. */
  record Endpoint(HttpMethod method, Function<FullHttpRequest, AdminResponse> handler) {}

  private AdminEndpoints() {}

  static Map<String, Endpoint> of(AdminControl control, ProxyMetrics metrics) {
    ConfigDump dump = new ConfigDump();
    CertsReport certs = new CertsReport();
    return Map.of(
        "/certs",
            new Endpoint(
                HttpMethod.GET,
                request -> new AdminResponse(OK, "application/json", certs.json(control.workloadIdentity()), () -> {})),
        "/ready", new Endpoint(HttpMethod.GET, request -> ready(control.state())),
        "/live", new Endpoint(HttpMethod.GET, request -> AdminResponse.text(OK, "LIVE\n")),
        "/metrics", new Endpoint(HttpMethod.GET, request -> metrics(metrics, request)),
        "/config_dump",
            new Endpoint(
                HttpMethod.GET,
                request ->
                    new AdminResponse(
                        OK, "application/json",
                        dump.json(control.config(), control.configVersion(), control.xdsStatus()), () -> {})),
        "/drain",
            new Endpoint(HttpMethod.POST, request -> AdminResponse.text(OK, "DRAINING\n").then(control::startDrain)),
        "/shutdown",
            new Endpoint(
                HttpMethod.POST, request -> AdminResponse.text(OK, "SHUTTING DOWN\n").then(control::startShutdown)));
  }

  /** 200 only when serving; the body names the state either way, as Envoy's {@code /ready} does. */
  private static AdminResponse ready(ServerState state) {
    return AdminResponse.text(state == ServerState.LIVE ? OK : SERVICE_UNAVAILABLE, state.name() + "\n");
  }

  private static AdminResponse metrics(ProxyMetrics metrics, FullHttpRequest request) {
    ProxyMetrics.Scrape scrape = metrics.scrape(request.headers().get(HttpHeaderNames.ACCEPT));
    return new AdminResponse(OK, scrape.contentType(), scrape.body(), () -> {});
  }
}
