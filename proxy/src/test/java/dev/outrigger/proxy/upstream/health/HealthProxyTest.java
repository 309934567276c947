package dev.outrigger.proxy.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.ProxyOptions;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Health through the whole proxy, over real sockets: three upstreams behind one cluster, a client
 * sending real requests, the upstreams failing on command.
 */
class HealthProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private final List<SwitchableUpstream> upstreams = new ArrayList<>();
  private Proxy proxy;

  @BeforeEach
  void startUpstreams() throws IOException {
    for (String name : List.of("a", "b", "c")) {
      upstreams.add(new SwitchableUpstream(name));
    }
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    upstreams.forEach(SwitchableUpstream::close);
  }

  private void start(String clusterHealth) throws Exception {
    StringBuilder endpoints = new StringBuilder();
    for (SwitchableUpstream upstream : upstreams) {
      endpoints.append("        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ")
          .append(upstream.port()).append(" } } }\n");
    }
    String yaml = """
        node: { id: health, cluster: health }
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
          - name: http
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: health
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: svc }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: svc
            connect_timeout: 1s
            load_assignment:
              cluster_name: svc
              endpoints:
              - lb_endpoints:
        """ + endpoints + clusterHealth.indent(4);
    proxy = Proxy.start(BootstrapLoader.loadYaml(yaml), ProxyOptions.defaults().withThreads(1));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    int port = proxy.listenerAddress("http").getPort();
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build(),
        BodyHandlers.ofString());
  }

  /** Which upstreams answered {@code count} requests. */
  private Set<String> answeringUpstreams(int count) throws IOException, InterruptedException {
    Set<String> answered = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      answered.add(get("/work").headers().firstValue("x-upstream").orElse("none"));
    }
    return answered;
  }

  private String metrics() throws IOException, InterruptedException {
    int port = proxy.adminAddress().orElseThrow().getPort();
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(WAIT).build(),
        BodyHandlers.ofString()).body();
  }

  @Test
  void anUpstreamFailingItsHealthPathIsTakenOutAndComesBack() throws Exception {
    start("""
        health_checks:
        - timeout: 1s
          interval: 0.05s
          unhealthy_threshold: 2
          healthy_threshold: 2
          http_health_check: { path: /healthz }
        """);
    await().atMost(WAIT).untilAsserted(() -> assertThat(answeringUpstreams(6)).containsExactly("a", "b", "c"));

    upstreams.get(1).health.set(503);
    await().atMost(WAIT).untilAsserted(() -> assertThat(answeringUpstreams(6)).containsExactly("a", "c"));
    assertThat(metrics())
        .contains("outrigger_upstream_endpoints_healthy{cluster=\"svc\"} 2.0")
        .containsPattern("outrigger_upstream_health_checks_total\\{cluster=\"svc\",result=\"unhealthy\"} [1-9]");

    upstreams.get(1).health.set(200);
    await().atMost(WAIT).untilAsserted(() -> assertThat(answeringUpstreams(6)).containsExactly("a", "b", "c"));
  }

  @Test
  void theConfigDumpShowsHealthSettings() throws Exception {
    start("""
        health_checks:
        - { timeout: 1s, interval: 10s, unhealthy_threshold: 1, healthy_threshold: 1, tcp_health_check: {} }
        outlier_detection: { consecutive_5xx: 7 }
        """);
    int port = proxy.adminAddress().orElseThrow().getPort();
    String dump = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/config_dump")).timeout(WAIT).build(),
        BodyHandlers.ofString()).body();
    assertThat(dump).contains("\"@type\" : \"TcpProbe\"").contains("\"consecutive5xx\" : 7");
  }

  /** A generous check timeout: a cold JVM on a busy machine may take a second for the first check. */
  @Test
  void anUpstreamFailingFromTheStartNeverTakesTraffic() throws Exception {
    upstreams.get(1).health.set(503);
    start("""
        health_checks:
        - { timeout: 15s, interval: 10s, unhealthy_threshold: 3, healthy_threshold: 1, http_health_check: { path: /healthz } }
        """);
    assertThat(answeringUpstreams(6)).containsExactly("a", "c");
    assertThat(upstreams.get(1).served).hasValue(0);
  }

  @Test
  void whenEveryUpstreamFailsItsChecksTrafficGoesToAllOfThem() throws Exception {
    start("""
        health_checks:
        - timeout: 1s
          interval: 0.05s
          unhealthy_threshold: 1
          healthy_threshold: 1
          http_health_check: { path: /healthz, expected_statuses: [{ start: 200, end: 300 }] }
        """);
    upstreams.forEach(upstream -> upstream.health.set(500));
    await().atMost(WAIT).untilAsserted(() -> assertThat(metrics())
        .contains("outrigger_upstream_endpoints_healthy{cluster=\"svc\"} 0.0")
        .containsPattern("outrigger_upstream_health_checks_total\\{cluster=\"svc\",result=\"unhealthy\"} ([3-9]|[1-9][0-9]+)\\."));

    assertThat(answeringUpstreams(6)).containsExactly("a", "b", "c");
  }

  @Test
  void anUpstreamThatRefusesConnectionsIsEjectedForLocalOriginFailures() throws Exception {
    start("""
        outlier_detection:
          split_external_local_origin_errors: true
          consecutive_local_origin_failure: 2
          interval: 1s
          base_ejection_time: 60s
          max_ejection_percent: 50
        """);
    upstreams.get(2).close();
    int refused = 0;
    for (int i = 0; i < 30 && refused < 2; i++) {
      HttpResponse<String> response = get("/work");
      if (response.statusCode() == 503) {
        refused++;
      }
    }
    assertThat(refused).isEqualTo(2);

    for (int i = 0; i < 6; i++) {
      assertThat(get("/work").statusCode()).isEqualTo(200);
    }
    assertThat(metrics()).containsPattern(
        "outrigger_upstream_ejections_total\\{cluster=\"svc\",reason=\"consecutive_local_origin_failure\"} 1.0");
  }

  @Test
  void anUpstreamAnswering5xxIsEjectedAndComesBackAfterItsEjectionTime() throws Exception {
    start("""
        outlier_detection:
          consecutive_5xx: 3
          interval: 0.1s
          base_ejection_time: 2s
          max_ejection_percent: 50
        """);
    SwitchableUpstream failing = upstreams.get(1);
    failing.status.set(500);
    int statuses500 = 0;
    for (int i = 0; i < 30 && statuses500 < 3; i++) {
      if (get("/work").statusCode() == 500) {
        statuses500++;
      }
    }
    assertThat(statuses500).isEqualTo(3);
    int servedWhenEjected = failing.served.get();
    failing.status.set(200);

    assertThat(answeringUpstreams(6)).as("while ejected").containsExactly("a", "c");
    assertThat(failing.served).hasValue(servedWhenEjected);
    assertThat(metrics())
        .containsPattern("outrigger_upstream_ejections_total\\{cluster=\"svc\",reason=\"consecutive_5xx\"} 1.0");

    await().atMost(WAIT).untilAsserted(() -> assertThat(answeringUpstreams(3)).contains("b"));
  }
}
