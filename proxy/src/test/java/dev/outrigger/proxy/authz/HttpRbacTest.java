package dev.outrigger.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.authz.RbacRules.Action;
import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.stream.StreamListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP RBAC filter's decision over real Netty request heads. */
class HttpRbacTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.5", 40000);
  private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 8080);
  private static final ConnectionContext CONNECTION = new ConnectionContext(
      null, null, null, PEER, LOCAL, true, Optional.empty(), Optional.empty(), Optional.empty(), StreamListener.NONE);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Policy "admins" under DENY: POST to /admin from anyone but the ops SPIFFE ID. */
  private HttpRbac denyAdminWrites() {
    Policy admins = new Policy("admins",
        List.of(new Permission.AndRules(List.of(
            new Permission.Header(header(":method", exact("POST"))),
            new Permission.UrlPath(new StringMatcher.Prefix("/admin", false))))),
        List.of(new Principal.NotId(new Principal.Authenticated(Optional.of(exact("spiffe://mesh.test/ns/ops/sa/admin")))))
    );
    return HttpRbac.compile(
        new HttpRbacConfig(Optional.of(new RbacRules(Action.DENY, List.of(admins))), Optional.empty()),
        "inbound", registry);
  }

  static Stream<Arguments> requests() {
    PeerIdentity cart = FakeRequest.CART;
    PeerIdentity ops = new PeerIdentity(true, List.of("spiffe://mesh.test/ns/ops/sa/admin"), List.of(), "CN=ops");
    return Stream.of(
        Arguments.of("POST /admin from cart", cart, request(HttpMethod.POST, "/admin/users?x=1"), false),
        Arguments.of("POST /admin anonymous", PeerIdentity.NONE, request(HttpMethod.POST, "/admin"), false),
        Arguments.of("POST /admin from ops", ops, request(HttpMethod.POST, "/admin"), true),
        Arguments.of("GET /admin from cart", cart, request(HttpMethod.GET, "/admin"), true),
        Arguments.of("POST elsewhere from cart", cart, request(HttpMethod.POST, "/api/admin"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void decides(String name, PeerIdentity peer, HttpRequest request, boolean allowed) {
    Decision decision = denyAdminWrites().decide(new HttpAuthzRequest(CONNECTION, peer, PEER, request));
    assertThat(decision.allowed()).isEqualTo(allowed);
    assertThat(decision.responseDetail()).isEqualTo(allowed ? "" : "rbac_access_denied_matched_policy[admins]");
  }

  @Test
  void headersWithSeveralValuesAreMatchedJoinedWithCommas() {
    HttpRbac rbac = allowOnly(new Permission.Header(header("x-team", exact("blue,red"))), new Principal.Any());
    HttpRequest request = request(HttpMethod.GET, "/");
    request.headers().add("x-team", "blue").add("x-team", "red");
    assertThat(rbac.decide(new HttpAuthzRequest(CONNECTION, PeerIdentity.NONE, PEER, request)).allowed()).isTrue();
  }

  @Test
  void authorityAndPathPseudoHeadersComeFromTheRequest() {
    HttpRbac rbac = allowOnly(new Permission.AndRules(List.of(
        new Permission.Header(header(":authority", exact("shop.test"))),
        new Permission.Header(header(":path", exact("/a?b=c"))))), new Principal.Any());
    HttpRequest request = request(HttpMethod.GET, "/a?b=c");
    request.headers().set("host", "shop.test");
    assertThat(rbac.decide(new HttpAuthzRequest(CONNECTION, PeerIdentity.NONE, PEER, request)).allowed()).isTrue();
    request.headers().set("host", "other.test");
    assertThat(rbac.decide(new HttpAuthzRequest(CONNECTION, PeerIdentity.NONE, PEER, request)).allowed()).isFalse();
  }

  @Test
  void remoteIpIsTheTrustedClientAndDirectRemoteIpThePeer() {
    InetSocketAddress client = new InetSocketAddress("203.0.113.9", 0);
    HttpRequest request = request(HttpMethod.GET, "/");
    HttpRbac byClient = allowOnly(new Permission.Any(), new Principal.RemoteIp(RbacEngineTest.cidr("203.0.113.0", 24)));
    HttpRbac byPeer = allowOnly(new Permission.Any(), new Principal.DirectRemoteIp(RbacEngineTest.cidr("203.0.113.0", 24)));
    assertThat(byClient.decide(new HttpAuthzRequest(CONNECTION, PeerIdentity.NONE, client, request)).allowed()).isTrue();
    assertThat(byPeer.decide(new HttpAuthzRequest(CONNECTION, PeerIdentity.NONE, client, request)).allowed()).isFalse();
  }

  @Test
  void aDisabledPerRouteOverrideAllowsEverything() {
    HttpRbac disabled = HttpRbac.compile(HttpRbacConfig.DISABLED, "inbound", registry);
    Decision decision = disabled.decide(new HttpAuthzRequest(CONNECTION, PeerIdentity.NONE, PEER, request(HttpMethod.POST, "/admin")));
    assertThat(decision.allowed()).isTrue();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void shadowAndEnforcedResultsAreCountedForTheHttpFilter() {
    HttpRbac rbac = HttpRbac.compile(new HttpRbacConfig(
            Optional.of(new RbacRules(Action.ALLOW, List.of())),
            Optional.of(new RbacRules(Action.ALLOW, List.of(new Policy("all", List.of(new Permission.Any()), List.of(new Principal.Any())))))),
        "inbound", registry);

    Decision decision = rbac.decide(new HttpAuthzRequest(CONNECTION, PeerIdentity.NONE, PEER, request(HttpMethod.GET, "/")));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.responseDetail()).isEqualTo("rbac_access_denied_matched_policy[none]");
    assertThat(registry.get("outrigger.rbac.denied").tag("filter", "http").tag("policy", "none").counter().count()).isEqualTo(1);
    assertThat(registry.get("outrigger.rbac.shadow.allowed").tag("filter", "http").tag("policy", "all").counter().count())
        .isEqualTo(1);
  }

  private HttpRbac allowOnly(Permission permission, Principal principal) {
    return HttpRbac.compile(new HttpRbacConfig(
        Optional.of(new RbacRules(Action.ALLOW, List.of(new Policy("only", List.of(permission), List.of(principal))))),
        Optional.empty()), "inbound", registry);
  }

  private static HttpRequest request(HttpMethod method, String uri) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
  }

  private static HeaderMatcher header(String name, StringMatcher matcher) {
    return new HeaderMatcher(name, Optional.of(matcher), false, false);
  }

  private static StringMatcher exact(String value) {
    return new StringMatcher.Exact(value, false);
  }
}
