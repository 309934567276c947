package dev.outrigger.proxy.identity;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.ProxyOptions;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A proxy as a sidecar with its identity from PEM files in its own directory: an inbound mTLS
 * listener ({@code default} + {@code ROOTCA}, clients matched by a SPIFFE ID prefix) in front of
 * an app, and optionally an outbound plaintext listener whose cluster reaches a peer sidecar over
 * mTLS, the peer's ID matched exactly. Access logs print the peer's SPIFFE ID.
 */
final class Sidecar implements AutoCloseable {
  static final String TLS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.";
  private static final HttpClient ADMIN = HttpClient.newHttpClient();

  final Path dir;
  final Proxy proxy;

  private Sidecar(Path dir, Proxy proxy) {
    this.dir = dir;
    this.proxy = proxy;
  }

  /**
   * @param dir holds cert.pem, key.pem and bundle.pem; the access log goes to access.log there
   * @param appPort where inbound requests go
   * @param clientPrefix the SPIFFE ID prefix clients must have
   * @param peerPort when positive, an outbound listener forwards to this peer inbound port
   * @param peerId the SPIFFE ID the peer must present
   */
  static Sidecar start(Path dir, int appPort, String clientPrefix, int peerPort, String peerId) throws Exception {
    return start(dir, appPort, clientPrefix, peerPort, peerId, true);
  }

  /** @param peerHttp2 speak HTTP/2 to the peer (a sidecar), else HTTP/1.1 */
  static Sidecar start(Path dir, int appPort, String clientPrefix, int peerPort, String peerId, boolean peerHttp2)
      throws Exception {
    String yaml = """
        admin: {address: {socket_address: {address: 127.0.0.1, port_value: 0}}}
        static_resources:
          listeners:
          - name: inbound
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": %1$sDownstreamTlsContext
                  require_client_certificate: true
                  common_tls_context:
                    alpn_protocols: [h2, http/1.1]
                    tls_certificate_sds_secret_configs: [{name: default, sds_config: {ads: {}, resource_api_version: V3}}]
                    combined_validation_context:
                      default_validation_context:
                        match_typed_subject_alt_names: [{san_type: URI, matcher: {prefix: "%2$s"}}]
                      validation_context_sds_secret_config: {name: ROOTCA, sds_config: {ads: {}, resource_api_version: V3}}
              filters: [%3$s]
        %4$s
          clusters:
          - %5$s
        %6$s
        """.formatted(TLS, clientPrefix, hcm("inbound", "app", dir.resolve("access.log")),
            peerPort > 0 ? outboundListener() : "", cluster("app", appPort, ""),
            peerPort > 0 ? "  - " + cluster("peer", peerPort, upstreamTls(peerId, peerHttp2)) : "");
    Proxy proxy = Proxy.start(BootstrapLoader.loadYaml(yaml), ProxyOptions.defaults().withThreads(2)
        .withIdentitySource(PemFileIdentitySource.watching(
            dir.resolve("cert.pem"), dir.resolve("key.pem"), dir.resolve("bundle.pem"), Duration.ofMillis(50))));
    return new Sidecar(dir, proxy);
  }

  private static String outboundListener() {
    return """
          - name: outbound
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters: [%s]
        """.formatted(hcm("outbound", "peer", null));
  }

  private static String hcm(String prefix, String cluster, Path accessLog) {
    String log = accessLog == null ? "" : ", access_log: [{name: envoy.access_loggers.file, typed_config: {"
        + "'@type': type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog, path: '" + accessLog
        + "', log_format: {text_format_source: {inline_string: \"%DOWNSTREAM_PEER_URI_SAN% %RESPONSE_CODE%\\n\"}}}}]";
    return "{name: envoy.filters.network.http_connection_manager, typed_config: {'@type': "
        + "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager, "
        + "stat_prefix: " + prefix + ", route_config: {virtual_hosts: [{name: all, domains: ['*'], routes: "
        + "[{match: {prefix: /}, route: {cluster: " + cluster + "}}]}]}, http_filters: [{name: envoy.filters.http.router, "
        + "typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}]" + log + "}}";
  }

  private static String upstreamTls(String peerId, boolean http2) {
    return ", transport_socket: {name: envoy.transport_sockets.tls, typed_config: {'@type': " + TLS
        + "UpstreamTlsContext, common_tls_context: {tls_certificate_sds_secret_configs: [{name: default}], "
        + "combined_validation_context: {default_validation_context: {match_typed_subject_alt_names: "
        + "[{san_type: URI, matcher: {exact: '" + peerId + "'}}]}, validation_context_sds_secret_config: {name: ROOTCA}}}}}, "
        + "typed_extension_protocol_options: {envoy.extensions.upstreams.http.v3.HttpProtocolOptions: {'@type': "
        + "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, explicit_http_config: "
        + (http2 ? "{http2_protocol_options: {}}}}" : "{http_protocol_options: {}}}}");
  }

  private static String cluster(String name, int port, String extra) {
    return "{name: " + name + ", type: STATIC, connect_timeout: 2s, load_assignment: {cluster_name: " + name
        + ", endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: "
        + port + "}}}}]}]}" + extra + "}";
  }

  int inboundPort() {
    return proxy.listenerAddress("inbound").getPort();
  }

  int outboundPort() {
    return proxy.listenerAddress("outbound").getPort();
  }

  HttpResponse<String> admin(String path) throws IOException, InterruptedException {
    int port = proxy.adminAddress().orElseThrow().getPort();
    return ADMIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), BodyHandlers.ofString());
  }

  /** The value of the counter or gauge sample starting with {@code sample} (name and labels), 0 when absent. */
  double metric(String sample) throws IOException, InterruptedException {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(admin("/metrics").body());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  double rejected(String direction, RejectReason reason) throws IOException, InterruptedException {
    return metric("outrigger_identity_peer_rejected_total{direction=\"" + direction + "\",reason=\"" + reason.label() + "\"}");
  }

  String accessLog() throws IOException {
    Path log = dir.resolve("access.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() {
    proxy.close();
  }
}
