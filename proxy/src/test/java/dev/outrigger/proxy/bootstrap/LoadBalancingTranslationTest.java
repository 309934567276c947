package dev.outrigger.proxy.bootstrap;

import static dev.outrigger.proxy.bootstrap.BaseBootstrap.CLUSTER;
import static dev.outrigger.proxy.bootstrap.BaseBootstrap.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.HashPolicy;
import dev.outrigger.proxy.config.HashPolicy.Source;
import dev.outrigger.proxy.config.LoadBalancerSettings;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** lb_policy, load_balancing_policy, panic threshold, priorities and hash_policy: values and errors by path. */
class LoadBalancingTranslationTest {
  private static final String CLUSTER_PATH = "static_resources.clusters[0]";
  private static final String ROUTE_PATH = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config"
      + ".route_config.virtual_hosts[0].routes[0]";
  private static final String POLICY = CLUSTER + "/load_balancing_policy";
  private static final String POLICY_PATH = CLUSTER_PATH + ".load_balancing_policy.policies[0].typed_extension_config.typed_config";

  private static String policy(String name, String type, String fields) {
    return "{policies: [{typed_extension_config: {name: " + name + ", typed_config: {'@type': type.googleapis.com/"
        + type + (fields.isEmpty() ? "" : ", " + fields) + "}}}]}";
  }

  private static ClusterConfig cluster(UnaryOperator<BaseBootstrap> edit) throws ConfigException {
    return BootstrapLoader.loadYaml(edit.apply(BaseBootstrap.load()).text()).clusters().get("backend");
  }

  @Test
  void lbPolicyWithItsConfig() throws ConfigException {
    ClusterConfig ring = cluster(b -> b.set(CLUSTER + "/lb_policy", "RING_HASH")
        .set(CLUSTER + "/ring_hash_lb_config", "{minimum_ring_size: 64, maximum_ring_size: 4096, hash_function: XX_HASH}"));
    assertThat(ring.lbPolicy()).isEqualTo(LbPolicy.RING_HASH);
    assertThat(ring.balancing().minimumRingSize()).isEqualTo(64);
    assertThat(ring.balancing().maximumRingSize()).isEqualTo(4096);

    ClusterConfig maglev = cluster(b -> b.set(CLUSTER + "/lb_policy", "MAGLEV")
        .set(CLUSTER + "/maglev_lb_config", "{table_size: 251}")
        .set(CLUSTER + "/common_lb_config", "{healthy_panic_threshold: {value: 25}}"));
    assertThat(maglev.lbPolicy()).isEqualTo(LbPolicy.MAGLEV);
    assertThat(maglev.balancing().maglevTableSize()).isEqualTo(251);
    assertThat(maglev.balancing().healthyPanicThreshold()).isEqualTo(25);

    ClusterConfig leastRequest = cluster(b -> b.set(CLUSTER + "/lb_policy", "LEAST_REQUEST")
        .set(CLUSTER + "/least_request_lb_config", "{choice_count: 3}"));
    assertThat(leastRequest.balancing().choiceCount()).isEqualTo(3);

    assertThat(cluster(b -> b).balancing()).isEqualTo(LoadBalancerSettings.DEFAULTS);
  }

  @Test
  void typedPoliciesMapOntoTheSameBalancers() throws ConfigException {
    String prefix = "envoy.extensions.load_balancing_policies.";
    assertThat(cluster(b -> b.set(POLICY, policy("rr", prefix + "round_robin.v3.RoundRobin", ""))).lbPolicy())
        .isEqualTo(LbPolicy.ROUND_ROBIN);
    assertThat(cluster(b -> b.set(POLICY, policy("r", prefix + "random.v3.Random", ""))).lbPolicy())
        .isEqualTo(LbPolicy.RANDOM);
    ClusterConfig leastRequest =
        cluster(b -> b.set(POLICY, policy("lr", prefix + "least_request.v3.LeastRequest", "choice_count: 4")));
    assertThat(leastRequest.lbPolicy()).isEqualTo(LbPolicy.LEAST_REQUEST);
    assertThat(leastRequest.balancing().choiceCount()).isEqualTo(4);
    ClusterConfig ring = cluster(b -> b.set(POLICY,
        policy("rh", prefix + "ring_hash.v3.RingHash", "minimum_ring_size: 10, hash_function: XX_HASH")));
    assertThat(ring.lbPolicy()).isEqualTo(LbPolicy.RING_HASH);
    assertThat(ring.balancing().minimumRingSize()).isEqualTo(10);
    ClusterConfig maglev = cluster(b -> b.set(POLICY, policy("m", prefix + "maglev.v3.Maglev", "table_size: 7")));
    assertThat(maglev.lbPolicy()).isEqualTo(LbPolicy.MAGLEV);
    assertThat(maglev.balancing().maglevTableSize()).isEqualTo(7);
    ClusterConfig ewma = cluster(b -> b.set(POLICY, policy("envoy.load_balancing_policies.peak_ewma",
        "outrigger.lb.v1.PeakEwma", "decay: 5s, default_rtt: 0.010s")));
    assertThat(ewma.lbPolicy()).isEqualTo(LbPolicy.PEAK_EWMA);
    assertThat(ewma.balancing().ewmaDecay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ewma.balancing().ewmaDefaultRtt()).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void prioritiesComeFromTheLocalityEntries() throws ConfigException {
    ClusterConfig cluster = cluster(b -> b.set(CLUSTER + "/load_assignment/endpoints/1",
        "{priority: 1, lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.2, port_value: 80}}}}]}"));
    assertThat(cluster.endpoints()).extracting(ClusterConfig.EndpointConfig::priority).containsExactly(0, 1);
  }

  @Test
  void hashPoliciesInOrder() throws ConfigException {
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load().set(ROUTE + "/route/hash_policy",
        "[{header: {header_name: X-User}}, {cookie: {name: session}, terminal: true},"
            + " {connection_properties: {source_ip: true}}, {query_parameter: {name: id}},"
            + " {header: {header_name: ':authority'}}]").text());
    HttpConnectionManagerConfig hcm =
        (HttpConnectionManagerConfig) config.listeners().get(0).filterChains().get(0).filter();
    RouteAction.Forward forward =
        (RouteAction.Forward) hcm.routeTable().virtualHosts().get(0).routes().get(0).action();
    assertThat(forward.hashPolicies()).containsExactly(
        new HashPolicy(Source.HEADER, "x-user", false),
        new HashPolicy(Source.COOKIE, "session", true),
        new HashPolicy(Source.SOURCE_IP, "", false),
        new HashPolicy(Source.QUERY_PARAMETER, "id", false),
        new HashPolicy(Source.HEADER, "host", false));
  }

  record Case(String name, UnaryOperator<BaseBootstrap> edit, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> errors() {
    return Stream.of(
        new Case("ring config with another policy", b -> b.set(CLUSTER + "/ring_hash_lb_config", "{minimum_ring_size: 8}"),
            CLUSTER_PATH + ".ring_hash_lb_config: only with lb_policy RING_HASH (lb_policy is ROUND_ROBIN)"),
        new Case("ring minimum above maximum", b -> b.set(CLUSTER + "/lb_policy", "RING_HASH")
                .set(CLUSTER + "/ring_hash_lb_config", "{minimum_ring_size: 100, maximum_ring_size: 10}"),
            CLUSTER_PATH + ".ring_hash_lb_config.minimum_ring_size: must not exceed maximum_ring_size (10)"),
        new Case("murmur hash", b -> b.set(CLUSTER + "/lb_policy", "RING_HASH")
                .set(CLUSTER + "/ring_hash_lb_config", "{hash_function: MURMUR_HASH_2}"),
            CLUSTER_PATH + ".ring_hash_lb_config.hash_function: MURMUR_HASH_2 is not supported (supported: XX_HASH)"),
        new Case("maglev table not prime", b -> b.set(CLUSTER + "/lb_policy", "MAGLEV")
                .set(CLUSTER + "/maglev_lb_config", "{table_size: 65536}"),
            CLUSTER_PATH + ".maglev_lb_config.table_size: must be a prime number no larger than 5000011, got 65536"),
        new Case("choice count below two", b -> b.set(CLUSTER + "/lb_policy", "LEAST_REQUEST")
                .set(CLUSTER + "/least_request_lb_config", "{choice_count: 1}"),
            CLUSTER_PATH + ".least_request_lb_config.choice_count: must be at least 2"),
        new Case("panic threshold above 100", b -> b.set(CLUSTER + "/common_lb_config", "{healthy_panic_threshold: {value: 150}}"),
            CLUSTER_PATH + ".common_lb_config.healthy_panic_threshold.value: must be between 0 and 100"),
        new Case("unsupported common_lb_config field", b -> b.set(CLUSTER + "/common_lb_config", "{ignore_new_hosts_until_first_hc: true}"),
            CLUSTER_PATH + ".common_lb_config.ignore_new_hosts_until_first_hc: not supported"),
        new Case("unsupported typed policy", b -> b.set(POLICY, policy("envoy.load_balancing_policies.wrr_locality",
                "envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality", "")),
            POLICY_PATH + ": unsupported load balancing policy envoy.load_balancing_policies.wrr_locality"),
        new Case("typed policy together with lb_policy", b -> b.set(CLUSTER + "/lb_policy", "RANDOM").set(POLICY,
                policy("r", "envoy.extensions.load_balancing_policies.random.v3.Random", "")),
            CLUSTER_PATH + ".lb_policy: cannot be combined with load_balancing_policy"),
        new Case("empty typed policy list", b -> b.set(POLICY, "{policies: []}"),
            CLUSTER_PATH + ".load_balancing_policy.policies: at least one policy is required"),
        new Case("peak ewma zero decay", b -> b.set(POLICY, policy("envoy.load_balancing_policies.peak_ewma",
                "outrigger.lb.v1.PeakEwma", "decay: 0s")),
            POLICY_PATH + ".decay: must be greater than zero"),
        new Case("priority gap", b -> b.set(CLUSTER + "/load_assignment/endpoints/0/priority", "1"),
            CLUSTER_PATH + ".load_assignment.endpoints: priorities must run from 0 without gaps, found [1]"),
        new Case("cookie ttl", b -> b.set(ROUTE + "/route/hash_policy", "[{cookie: {name: s, ttl: 60s}}]"),
            ROUTE_PATH + ".route.hash_policy[0].cookie.ttl: not supported: with a ttl Envoy generates the cookie "
                + "when it is missing; Outrigger hashes only a cookie the request already has (leave ttl out)"),
        new Case("hash policy without a source", b -> b.set(ROUTE + "/route/hash_policy", "[{terminal: true}]"),
            ROUTE_PATH + ".route.hash_policy[0]: one of header, cookie, connection_properties, query_parameter is required"),
        new Case("pseudo-header hash", b -> b.set(ROUTE + "/route/hash_policy", "[{header: {header_name: ':path'}}]"),
            ROUTE_PATH + ".route.hash_policy[0].header.header_name: pseudo-header \":path\" cannot be hashed (only :authority)"),
        new Case("header hash without a name", b -> b.set(ROUTE + "/route/hash_policy", "[{header: {}}]"),
            ROUTE_PATH + ".route.hash_policy[0].header.header_name: required"));
  }

  @Test
  void anUnsupportedHashSourceIsNamed() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadYaml(
        BaseBootstrap.load().set(ROUTE + "/route/hash_policy", "[{filter_state: {key: k}}]").text()));
    assertThat(e.errors()).extracting(ConfigError::toString)
        .startsWith(ROUTE_PATH + ".route.hash_policy[0].filter_state: not supported");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void reportsTheErrorWithItsPath(Case c) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> BootstrapLoader.loadYaml(c.edit().apply(BaseBootstrap.load()).text()));
    assertThat(e).as("rejected").isNotNull();
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(c.expected());
  }
}
