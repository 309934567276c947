package dev.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.ProxyOptions;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Balancing over real sockets: a proxy from a bootstrap in front of four named upstreams. */
class BalancingProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
  private NamedUpstreams upstreams;
  private Proxy proxy;

  @AfterEach
  void close() {
    if (proxy != null) {
      proxy.close();
    }
    if (upstreams != null) {
      upstreams.close();
    }
  }

  /** A proxy whose one route carries {@code hashPolicy} to a cluster balanced as {@code clusterLb}. */
  private void start(String clusterLb, String hashPolicy, long... delaysMillis) throws Exception {
    upstreams = NamedUpstreams.start(delaysMillis);
    proxy = Proxy.start(BootstrapLoader.loadYaml(upstreams.bootstrap(clusterLb, hashPolicy)), ProxyOptions.defaults().withThreads(2));
  }

  private String get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + proxy.listenerAddress("in").getPort() + pathAndQuery)).timeout(WAIT);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RING_HASH", "MAGLEV"})
  void theSameHeaderReachesTheSameUpstream(String policy) throws Exception {
    start("lb_policy: " + policy, "[{header: {header_name: x-user}}]", 0, 0, 0, 0);
    Set<String> reached = new HashSet<>();
    for (int user = 0; user < 24; user++) {
      String first = get("/", "x-user", "user-" + user);
      for (int again = 0; again < 4; again++) {
        assertThat(get("/", "x-user", "user-" + user)).as("user-" + user).isEqualTo(first);
      }
      reached.add(first);
    }
    assertThat(reached).as("24 users spread over the upstreams").hasSizeGreaterThan(1);
  }

  @Test
  void cookieAndQueryParameterPoliciesHashTheirValue() throws Exception {
    start("lb_policy: RING_HASH", "[{cookie: {name: session}}, {query_parameter: {name: tenant}}]", 0, 0, 0, 0);
    for (int key = 0; key < 12; key++) {
      String byCookie = get("/", "cookie", "theme=dark; session=s" + key);
      assertThat(get("/a", "cookie", "session=s" + key)).isEqualTo(byCookie);
      String byQuery = get("/?tenant=t" + key);
      assertThat(get("/other?x=1&tenant=t" + key)).isEqualTo(byQuery);
    }
  }

  @Test
  void theSourceAddressKeepsOneClientOnOneUpstreamAndNoHashMeansRandom() throws Exception {
    start("lb_policy: MAGLEV", "[{header: {header_name: x-absent}}, {connection_properties: {source_ip: true}}]",
        0, 0, 0, 0);
    Set<String> bySource = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      bySource.add(get("/"));
    }
    assertThat(bySource).hasSize(1);
    proxy.close();
    upstreams.close();

    start("lb_policy: MAGLEV", "[{header: {header_name: x-absent}}]", 0, 0, 0, 0);
    Set<String> unhashed = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      unhashed.add(get("/"));
    }
    assertThat(unhashed).as("without a hash each request is a random pick").hasSizeGreaterThan(1);
  }

  /** Request counts, not timings: one upstream answers 50 ms late and the others at once. */
  @Test
  void peakEwmaSendsTheSlowUpstreamFarLessThanItsShare() throws Exception {
    start(NamedUpstreams.PEAK_EWMA, "[]", 50, 0, 0, 0);
    Map<String, Integer> ewma = counts(200);
    proxy.close();
    upstreams.close();

    start("lb_policy: ROUND_ROBIN", "[]", 50, 0, 0, 0);
    Map<String, Integer> roundRobin = counts(100);

    assertThat(roundRobin.getOrDefault("upstream-0", 0)).as("round robin: a quarter").isBetween(20, 30);
    assertThat(ewma.getOrDefault("upstream-0", 0)).as("peak-EWMA: " + ewma).isLessThan(20);
  }

  private Map<String, Integer> counts(int requests) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      counts.merge(get("/"), 1, Integer::sum);
    }
    return counts;
  }
}
