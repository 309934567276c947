package dev.outrigger.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.authz.RbacRules.Action;
import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RbacEngineTest {
  private static final Permission ANY_PERMISSION = new Permission.Any();
  private static final Principal ANYONE = new Principal.Any();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  static Stream<Arguments> principals() {
    FakeRequest http = FakeRequest.http();
    FakeRequest anonymous = http.withPeer(PeerIdentity.NONE);
    PeerIdentity dnsOnly = new PeerIdentity(true, List.of(), List.of("cart.shop"), "CN=cart");
    PeerIdentity subjectOnly = new PeerIdentity(true, List.of(), List.of(), "CN=legacy,O=shop");
    return Stream.of(
        row("any", ANYONE, http, true),
        row("any, anonymous", ANYONE, anonymous, true),
        row("authenticated, no name", authenticated(null), http, true),
        row("authenticated, no name, no certificate", authenticated(null), anonymous, false),
        row("authenticated, SPIFFE ID exact", authenticated(exact("spiffe://mesh.test/ns/shop/sa/cart")), http, true),
        row("authenticated, other SPIFFE ID", authenticated(exact("spiffe://mesh.test/ns/shop/sa/payments")), http, false),
        row("authenticated, SPIFFE ID prefix", authenticated(prefix("spiffe://mesh.test/ns/shop/")), http, true),
        row("authenticated, no certificate", authenticated(prefix("spiffe://")), anonymous, false),
        row("authenticated, DNS SAN when no URI SAN matches", authenticated(exact("cart.shop")), http.withPeer(dnsOnly), true),
        row("authenticated, subject as the last resort", authenticated(exact("CN=legacy,O=shop")), http.withPeer(subjectOnly), true),
        row("and_ids, both", new Principal.AndIds(List.of(authenticated(null), directIp("10.0.0.0", 8))), http, true),
        row("and_ids, one fails", new Principal.AndIds(List.of(authenticated(null), directIp("192.168.0.0", 16))), http, false),
        row("or_ids, one holds", new Principal.OrIds(List.of(directIp("192.168.0.0", 16), authenticated(null))), http, true),
        row("or_ids, none holds", new Principal.OrIds(List.of(directIp("192.168.0.0", 16))), http, false),
        row("not_id", new Principal.NotId(authenticated(exact("spiffe://mesh.test/ns/shop/sa/cart"))), http, false),
        row("not_id, anonymous", new Principal.NotId(authenticated(null)), anonymous, true),
        row("header exact", new Principal.Header(header("x-team", exact("blue"))), http, true),
        row("header, other value", new Principal.Header(header("x-team", exact("red"))), http, false),
        row("header on a connection", new Principal.Header(header("x-team", exact("blue"))), FakeRequest.connection(), false),
        row("header present", new Principal.Header(present("x-team", true)), http, true),
        row("header absent wanted, connection", new Principal.Header(present("x-team", false)), FakeRequest.connection(), true),
        row("direct_remote_ip in range", directIp("10.0.0.0", 24), http, true),
        row("direct_remote_ip /32 other", directIp("10.0.0.6", 32), http, false),
        row("direct_remote_ip ignores x-forwarded-for", directIp("10.0.0.5", 32), http.withClient("203.0.113.9"), true),
        row("remote_ip is the trusted client", remoteIp("203.0.113.0", 24), http.withClient("203.0.113.9"), true),
        row("remote_ip, peer not client", remoteIp("10.0.0.5", 32), http.withClient("203.0.113.9"), false),
        row("direct_remote_ip, prefix inside a byte", directIp("10.0.0.0", 29), http, true),
        row("direct_remote_ip, next block of a byte", directIp("10.0.0.8", 29), http, false),
        row("remote_ip IPv4 /0 against IPv6 client", remoteIp("0.0.0.0", 0), http.withClient("::1"), false));
  }

  static Stream<Arguments> permissions() {
    FakeRequest http = FakeRequest.http();
    return Stream.of(
        row("any", ANY_PERMISSION, http, true),
        row("url_path exact, query ignored", urlPath(exact("/api/items")), http, true),
        row("url_path prefix", urlPath(prefix("/api/")), http, true),
        row("url_path other", urlPath(prefix("/admin")), http, false),
        row("url_path on a connection", urlPath(prefix("/")), FakeRequest.connection(), false),
        row("header :method", new Permission.Header(header(":method", exact("GET"))), http, true),
        row("header :method, other", new Permission.Header(header(":method", exact("POST"))), http, false),
        row("header :authority", new Permission.Header(header(":authority", exact("shop.test"))), http, true),
        row("header :path keeps the query", new Permission.Header(header(":path", exact("/api/items?x=1"))), http, true),
        row("header inverted", new Permission.Header(new HeaderMatcher("x-team", Optional.of(exact("red")), false, true)), http, true),
        row("destination_port", new Permission.DestinationPort(8080), http, true),
        row("destination_port other", new Permission.DestinationPort(9090), http, false),
        row("destination_port on a connection", new Permission.DestinationPort(8080), FakeRequest.connection(), true),
        row("destination_ip", new Permission.DestinationIp(cidr("10.0.0.1", 32)), http, true),
        row("destination_ip other", new Permission.DestinationIp(cidr("10.0.1.0", 24)), http, false),
        row("and_rules", new Permission.AndRules(List.of(new Permission.DestinationPort(8080), urlPath(prefix("/api")))), http, true),
        row("and_rules, one fails", new Permission.AndRules(List.of(new Permission.DestinationPort(8080), urlPath(prefix("/x")))), http, false),
        row("or_rules", new Permission.OrRules(List.of(new Permission.DestinationPort(1), urlPath(prefix("/api")))), http, true),
        row("or_rules, none", new Permission.OrRules(List.of(new Permission.DestinationPort(1), urlPath(prefix("/x")))), http, false),
        row("not_rule", new Permission.NotRule(urlPath(prefix("/admin"))), http, true),
        row("not_rule of a match", new Permission.NotRule(new Permission.DestinationPort(8080)), http, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("principals")
  void principal(String name, Principal principal, FakeRequest request, boolean matches) {
    Decision decision = allow(new Policy("p", List.of(ANY_PERMISSION), List.of(principal))).evaluate(request);
    assertThat(decision.allowed()).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permissions")
  void permission(String name, Permission permission, FakeRequest request, boolean matches) {
    Decision decision = allow(new Policy("p", List.of(permission), List.of(ANYONE))).evaluate(request);
    assertThat(decision.allowed()).isEqualTo(matches);
  }

  @Test
  void aPolicyNeedsOneOfItsPermissionsAndOneOfItsPrincipals() {
    Policy policy = new Policy("p",
        List.of(new Permission.DestinationPort(1), urlPath(prefix("/api"))),
        List.of(directIp("192.168.0.0", 16), authenticated(null)));
    assertThat(allow(policy).evaluate(FakeRequest.http()).allowed()).isTrue();
    assertThat(allow(policy).evaluate(FakeRequest.http().withPath("/other")).allowed()).isFalse();
    assertThat(allow(policy).evaluate(FakeRequest.http().withPeer(PeerIdentity.NONE)).allowed()).isFalse();
  }

  @Test
  void allowRulesAllowWhatAPolicyMatchesAndDenyTheRestWithPolicyNone() {
    RbacEngine engine = allow(new Policy("api", List.of(urlPath(prefix("/api"))), List.of(ANYONE)));

    Decision matched = engine.evaluate(FakeRequest.http());
    assertThat(matched.allowed()).isTrue();
    assertThat(matched.policy()).isEqualTo("api");
    assertThat(matched.responseDetail()).isEmpty();

    Decision unmatched = engine.evaluate(FakeRequest.http().withPath("/admin"));
    assertThat(unmatched.allowed()).isFalse();
    assertThat(unmatched.policy()).isEmpty();
    assertThat(unmatched.responseDetail()).isEqualTo("rbac_access_denied_matched_policy[none]");
  }

  @Test
  void denyRulesDenyWhatAPolicyMatchesAndAllowTheRest() {
    RbacEngine engine = compile(Action.DENY, new Policy("no admin", List.of(urlPath(prefix("/admin"))), List.of(ANYONE)));

    Decision matched = engine.evaluate(FakeRequest.http().withPath("/admin/users"));
    assertThat(matched.allowed()).isFalse();
    assertThat(matched.policy()).isEqualTo("no admin");
    assertThat(matched.responseDetail()).isEqualTo("rbac_access_denied_matched_policy[no_admin]");

    assertThat(engine.evaluate(FakeRequest.http()).allowed()).isTrue();
  }

  @Test
  void withoutPoliciesAllowDeniesEverythingAndDenyAllowsEverything() {
    assertThat(compile(Action.ALLOW).evaluate(FakeRequest.http()).allowed()).isFalse();
    assertThat(compile(Action.DENY).evaluate(FakeRequest.http()).allowed()).isTrue();
  }

  @Test
  void policiesAreTriedInNameOrderWhateverTheirOrderInConfig() {
    Policy zebra = new Policy("zebra", List.of(ANY_PERMISSION), List.of(ANYONE));
    Policy alpha = new Policy("alpha", List.of(ANY_PERMISSION), List.of(ANYONE));
    Policy beta = new Policy("beta", List.of(ANY_PERMISSION), List.of(authenticated(null)));

    assertThat(compile(Action.DENY, zebra, beta, alpha).evaluate(FakeRequest.http()).policy()).isEqualTo("alpha");
    assertThat(compile(Action.DENY, zebra, beta).evaluate(FakeRequest.http()).policy()).isEqualTo("beta");
    assertThat(compile(Action.DENY, zebra, beta).evaluate(FakeRequest.http().withPeer(PeerIdentity.NONE)).policy())
        .isEqualTo("zebra");
  }

  @Test
  void anEvaluationReturnsTheDecisionMadeAtCompileTime() {
    RbacEngine engine = allow(new Policy("p", List.of(ANY_PERMISSION), List.of(authenticated(null))));
    assertThat(engine.evaluate(FakeRequest.http())).isSameAs(engine.evaluate(FakeRequest.http()));
    assertThat(engine.evaluate(FakeRequest.connection().withPeer(PeerIdentity.NONE)))
        .isSameAs(engine.evaluate(FakeRequest.http().withPeer(PeerIdentity.NONE)));
  }

  @Test
  void shadowRulesAreCountedButNeverDecide() {
    Authorizer authorizer = Authorizer.compile(
        Optional.of(new RbacRules(Action.ALLOW, List.of(new Policy("all", List.of(ANY_PERMISSION), List.of(ANYONE))))),
        Optional.of(new RbacRules(Action.DENY, List.of(new Policy("dry", List.of(ANY_PERMISSION), List.of(ANYONE))))),
        new RbacMeters(registry, "http", "inbound"));

    Decision decision = authorizer.authorize(FakeRequest.http());

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.policy()).isEqualTo("all");
    assertThat(registry.get("outrigger.rbac.shadow.denied").tag("policy", "dry").counter().count()).isEqualTo(1);
    assertThat(registry.get("outrigger.rbac.allowed").tag("policy", "all").tag("stat_prefix", "inbound").counter().count())
        .isEqualTo(1);
  }

  @Test
  void withoutEnforcedRulesEverythingPassesUncounted() {
    Authorizer authorizer = Authorizer.compile(Optional.empty(),
        Optional.of(new RbacRules(Action.ALLOW, List.of())), new RbacMeters(registry, "http", "inbound"));

    assertThat(authorizer.authorize(FakeRequest.http()).allowed()).isTrue();
    assertThat(registry.get("outrigger.rbac.shadow.denied").tag("policy", "none").counter().count()).isEqualTo(1);
    assertThat(registry.find("outrigger.rbac.allowed").counters()).isEmpty();
  }

  private RbacEngine allow(Policy policy) {
    return compile(Action.ALLOW, policy);
  }

  private RbacEngine compile(Action action, Policy... policies) {
    return RbacEngine.compile(new RbacRules(action, List.of(policies)), new RbacMeters(registry, "test", "t"), false);
  }

  private static Arguments row(String name, Object rule, FakeRequest request, boolean matches) {
    return Arguments.of(name, rule, request, matches);
  }

  private static Principal authenticated(StringMatcher name) {
    return new Principal.Authenticated(Optional.ofNullable(name));
  }

  private static Principal directIp(String address, int length) {
    return new Principal.DirectRemoteIp(cidr(address, length));
  }

  private static Principal remoteIp(String address, int length) {
    return new Principal.RemoteIp(cidr(address, length));
  }

  private static Permission urlPath(StringMatcher matcher) {
    return new Permission.UrlPath(matcher);
  }

  private static HeaderMatcher header(String name, StringMatcher matcher) {
    return new HeaderMatcher(name, Optional.of(matcher), false, false);
  }

  private static HeaderMatcher present(String name, boolean present) {
    return new HeaderMatcher(name, Optional.empty(), present, false);
  }

  private static StringMatcher exact(String value) {
    return new StringMatcher.Exact(value, false);
  }

  private static StringMatcher prefix(String value) {
    return new StringMatcher.Prefix(value, false);
  }

  static CidrRange cidr(String address, int length) {
    try {
      return new CidrRange(InetAddress.getByName(address), length);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
