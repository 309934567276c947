package dev.outrigger.proxy.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.outrigger.proxy.authz.CidrRange;
import dev.outrigger.proxy.authz.HttpRbacConfig;
import dev.outrigger.proxy.authz.NetworkRbacConfig;
import dev.outrigger.proxy.authz.Permission;
import dev.outrigger.proxy.authz.Policy;
import dev.outrigger.proxy.authz.Principal;
import dev.outrigger.proxy.authz.RbacRules;
import dev.outrigger.proxy.authz.RbacRules.Action;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.config.TcpProxyConfig;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RbacBootstrapTest {
  private static final String FILTERS = "/static_resources/listeners/1/filter_chains/0/filters";
  private static final String TCP_FILTER = "{name: envoy.filters.network.tcp_proxy, typed_config: "
      + "{'@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: tcp, cluster: backend}}";
  private static final String RBAC_PATH = "static_resources.listeners[1].filter_chains[0].filters[0].typed_config";
  private static final String POLICY_PATH = RBAC_PATH + ".rules.policies[p]";

  @Test
  void networkRbacFiltersComeBeforeTheTerminalFilterInOrder() throws ConfigException {
    String deny = rbac("""
        stat_prefix: deny_first
        rules:
          action: DENY
          policies:
            blocked:
              permissions: [{ destination_port: 9000 }]
              principals: [{ direct_remote_ip: { address_prefix: 192.168.0.0, prefix_len: 16 } }]
        """);
    String allow = rbac("""
        stat_prefix: inbound
        rules:
          policies:
            cart:
              permissions:
              - and_rules: { rules: [{ any: true }, { not_rule: { destination_ip: { address_prefix: "::1" } } }] }
              principals:
              - or_ids: { ids: [{ authenticated: { principal_name: { exact: spiffe://mesh.test/ns/shop/sa/cart } } }] }
              - and_ids: { ids: [{ remote_ip: { address_prefix: 10.0.0.0, prefix_len: 8 } }, { not_id: { any: true } }] }
              - header: { name: x-team, exact_match: blue }
              - authenticated: {}
        shadow_rules:
          action: DENY
          policies:
            dry:
              permissions: [{ or_rules: { rules: [{ header: { name: ":method", exact_match: POST } }] } }]
              principals: [{ any: true }]
        """);
    FilterChainConfig chain = tcpChain(BaseBootstrap.load()
        .set(FILTERS + "/0", deny).set(FILTERS + "/1", allow).set(FILTERS + "/2", TCP_FILTER).text());

    assertThat(chain.filter()).isInstanceOf(TcpProxyConfig.class);
    assertThat(chain.rbacFilters()).containsExactly(
        new NetworkRbacConfig("deny_first",
            Optional.of(new RbacRules(Action.DENY, List.of(new Policy("blocked",
                List.of(new Permission.DestinationPort(9000)),
                List.of(new Principal.DirectRemoteIp(cidr("192.168.0.0", 16))))))),
            Optional.empty()),
        new NetworkRbacConfig("inbound",
            Optional.of(new RbacRules(Action.ALLOW, List.of(new Policy("cart",
                List.of(new Permission.AndRules(List.of(
                    new Permission.Any(), new Permission.NotRule(new Permission.DestinationIp(cidr("::1", 128)))))),
                List.of(
                    new Principal.OrIds(List.of(new Principal.Authenticated(
                        Optional.of(new StringMatcher.Exact("spiffe://mesh.test/ns/shop/sa/cart", false))))),
                    new Principal.AndIds(List.of(
                        new Principal.RemoteIp(cidr("10.0.0.0", 8)), new Principal.NotId(new Principal.Any()))),
                    new Principal.Header(new HeaderMatcher("x-team", Optional.of(new StringMatcher.Exact("blue", false)), false, false)),
                    new Principal.Authenticated(Optional.empty())))))),
            Optional.of(new RbacRules(Action.DENY, List.of(new Policy("dry",
                List.of(new Permission.OrRules(List.of(new Permission.Header(
                    new HeaderMatcher(":method", Optional.of(new StringMatcher.Exact("POST", false)), false, false))))),
                List.of(new Principal.Any())))))));
  }

  @Test
  void aChainWithoutRbacHasNoRbacFilters() throws ConfigException {
    assertThat(tcpChain(BaseBootstrap.load().text()).rbacFilters()).isEmpty();
  }

  @Test
  void httpRbacAndItsPerRouteOverrideTranslate() {
    RbacTranslator translator = new RbacTranslator(new Translation(new Problems()));
    RBAC rules = RBAC.newBuilder()
        .setAction(RBAC.Action.DENY)
        .putPolicies("admin", io.envoyproxy.envoy.config.rbac.v3.Policy.newBuilder()
            .addPermissions(io.envoyproxy.envoy.config.rbac.v3.Permission.newBuilder()
                .setUrlPath(io.envoyproxy.envoy.type.matcher.v3.PathMatcher.newBuilder()
                    .setPath(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setPrefix("/admin"))))
            .addPrincipals(io.envoyproxy.envoy.config.rbac.v3.Principal.newBuilder().setAny(true))
            .build())
        .build();
    RbacRules expected = new RbacRules(Action.DENY, List.of(new Policy("admin",
        List.of(new Permission.UrlPath(new StringMatcher.Prefix("/admin", false))), List.of(new Principal.Any()))));

    HttpRbacConfig http = translator.http(
        io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setShadowRules(rules).build(), FieldPath.ROOT);
    assertThat(http).isEqualTo(new HttpRbacConfig(Optional.empty(), Optional.of(expected)));
    assertThat(translator.perRoute(RBACPerRoute.getDefaultInstance(), FieldPath.ROOT)).isEqualTo(HttpRbacConfig.DISABLED);
    assertThat(translator.perRoute(RBACPerRoute.newBuilder()
            .setRbac(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(rules)).build(),
        FieldPath.ROOT))
        .isEqualTo(new HttpRbacConfig(Optional.of(expected), Optional.empty()));
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        reject("LOG action", "{stat_prefix: r, rules: {action: LOG}}",
            RBAC_PATH + ".rules.action: LOG is not supported (supported: ALLOW, DENY)"),
        reject("CONTINUOUS enforcement", "{stat_prefix: r, enforcement_type: CONTINUOUS}",
            RBAC_PATH + ".enforcement_type: CONTINUOUS is not supported (supported: ONE_TIME_ON_FIRST_BYTE)"),
        reject("delay_deny", "{stat_prefix: r, delay_deny: 1s}", RBAC_PATH + ".delay_deny: not supported"),
        reject("no stat_prefix", "{rules: {}}", RBAC_PATH + ".stat_prefix: required"),
        reject("source_ip", policy("[{any: true}]", "[{source_ip: {address_prefix: 10.0.0.1}}]"),
            POLICY_PATH + ".principals[0].source_ip: deprecated in Envoy: use direct_remote_ip (the peer) or remote_ip (the client)"),
        reject("CEL condition", "{stat_prefix: r, rules: {policies: {p: {permissions: [{any: true}], principals: [{any: true}], "
                + "condition: {const_expr: {bool_value: true}}}}}}",
            POLICY_PATH + ".condition: not supported"),
        reject("requested_server_name", policy("[{requested_server_name: {exact: a}}]", "[{any: true}]"),
            POLICY_PATH + ".permissions[0].requested_server_name: not supported"),
        reject("no principals", policy("[{any: true}]", "[]"), POLICY_PATH + ".principals: required: at least one entry"),
        reject("empty or_ids", policy("[{any: true}]", "[{or_ids: {ids: []}}]"),
            POLICY_PATH + ".principals[0].or_ids.ids: required: at least one entry"),
        reject("empty permission", policy("[{}]", "[{any: true}]"),
            POLICY_PATH + ".permissions[0]: one of any, and_rules, or_rules, not_rule, header, url_path, destination_port, "
                + "destination_ip is required"),
        reject("nested bad principal", policy("[{any: true}]", "[{not_id: {remote_ip: {address_prefix: shop.test}}}]"),
            POLICY_PATH + ".principals[0].not_id.remote_ip.address_prefix: \"shop.test\" is not an IP address"),
        reject("prefix too long", policy("[{destination_ip: {address_prefix: 10.0.0.0, prefix_len: 33}}]", "[{any: true}]"),
            POLICY_PATH + ".permissions[0].destination_ip.prefix_len: must be between 0 and 32 for 10.0.0.0"),
        reject(":scheme", policy("[{header: {name: ':scheme', exact_match: https}}]", "[{any: true}]"),
            POLICY_PATH + ".permissions[0].header.name: pseudo-header :scheme is not supported here "
                + "(supported: :authority, :method, :path)"),
        reject("port 0", policy("[{destination_port: 70000}]", "[{any: true}]"),
            POLICY_PATH + ".permissions[0].destination_port: must be between 1 and 65535"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void rejectsWithThePath(String name, String rbacConfig, String expected) {
    String text = BaseBootstrap.load()
        .set(FILTERS + "/0", rbac(rbacConfig)).set(FILTERS + "/1", TCP_FILTER).text();
    assertThat(rejected(text)).containsExactly(expected);
  }

  @Test
  void rbacMustNotBeTheTerminalFilter() {
    String text = BaseBootstrap.load().set(FILTERS + "/0", rbac("{stat_prefix: r}")).text();
    assertThat(rejected(text)).containsExactly("static_resources.listeners[1].filter_chains[0].filters[0]: "
        + "envoy.filters.network.rbac must come before the terminal filter (http_connection_manager or tcp_proxy)");
  }

  private static Arguments reject(String name, String config, String expected) {
    return Arguments.of(name, config, expected);
  }

  private static String policy(String permissions, String principals) {
    return "{stat_prefix: r, rules: {policies: {p: {permissions: " + permissions + ", principals: " + principals + "}}}}";
  }

  /** A network RBAC filter whose typed config is {@code config} (YAML, block or flow). */
  private static String rbac(String config) {
    try {
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
      ObjectNode typed = yaml.createObjectNode()
          .put("@type", "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC");
      typed.setAll((ObjectNode) yaml.readTree(config));
      ObjectNode filter = yaml.createObjectNode().put("name", "envoy.filters.network.rbac");
      filter.set("typed_config", typed);
      return new ObjectMapper().writeValueAsString(filter);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FilterChainConfig tcpChain(String text) throws ConfigException {
    return BootstrapLoader.loadYaml(text).listeners().get(1).filterChains().get(0);
  }

  private static List<String> rejected(String text) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadYaml(text));
    assertThat(e).as("rejected").isNotNull();
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  private static CidrRange cidr(String address, int length) {
    try {
      return new CidrRange(InetAddress.getByName(address), length);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
