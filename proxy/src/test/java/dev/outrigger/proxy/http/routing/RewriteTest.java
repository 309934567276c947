package dev.outrigger.proxy.http.routing;

import static dev.outrigger.proxy.http.routing.RouteTables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RewriteTest {

  private static RouteDecision.Forward forwardOf(RouteMatchConfig match, RouteAction.Forward action, String path) {
    Router router = Router.compile(table(vhost("v", List.of("*"), route("r", match, action))));
    return (RouteDecision.Forward) router.route("h", path, headers());
  }

  private static String prefixRewritten(RouteMatchConfig match, String rewrite, String path) {
    return forwardOf(match, forward(WeightedClusters.single("c"), Optional.of(rewrite), Optional.empty()), path).path();
  }

  @ParameterizedTest(name = "prefix {0} -> {1}: {2} becomes {3}")
  @CsvSource({
    "/prefix/, /, /prefix/etc, /etc",
    "/prefix/, /, /prefix/etc?a=b, /etc?a=b",
    // Envoy's documented trailing-slash subtlety: this route turns /prefix/etc into //etc
    "/prefix, /, /prefix, /",
    "/prefix, /, /prefix/etc, //etc",
    "/prefix, '', /prefix/etc, /etc",
    "/old, /new, /older?x=1, /newer?x=1",
    "/, /base/, /x/y, /base/x/y",
  })
  void prefixRewriteSwapsTheMatchedPrefix(String prefix, String rewrite, String path, String expected) {
    assertThat(prefixRewritten(match(prefix(prefix)), rewrite, path)).isEqualTo(expected);
  }

  @Test
  void prefixRewriteOfOtherMatchKindsReplacesWhatMatched() {
    assertThat(prefixRewritten(match(prefix("/old/"), false), "/new/", "/OLD/x")).isEqualTo("/new/x");
    assertThat(prefixRewritten(match(exact("/old")), "/new", "/old?q=1")).isEqualTo("/new?q=1");
    assertThat(prefixRewritten(match(separated("/old")), "/new", "/old/x?q")).isEqualTo("/new/x?q");
    assertThat(prefixRewritten(match(regex("/v[0-9]/x")), "/new", "/v1/x?q")).isEqualTo("/new?q");
  }

  private static String regexRewritten(String pattern, String substitution, String path) {
    RouteAction.RegexRewrite rewrite = new RouteAction.RegexRewrite(Pattern.compile(pattern), substitution);
    return forwardOf(match(prefix("/")), forward(WeightedClusters.single("c"), Optional.empty(), Optional.of(rewrite)), path)
        .path();
  }

  @ParameterizedTest(name = "{0} / {1}: {2} becomes {3}")
  @CsvSource({
    // the examples of Envoy's regex_rewrite documentation
    "^/service/([^/]+)(/.*)$, \\2/instance/\\1, /service/foo/v1/api, /v1/api/instance/foo",
    "one, two, /xxx/one/yyy/one/zzz, /xxx/two/yyy/two/zzz",
    "^(.*?)one(.*)$, \\1two\\2, /xxx/one/yyy/one/zzz, /xxx/two/yyy/one/zzz",
    "(?i)/xxx/, /yyy/, /aaa/XxX/bbb, /aaa/yyy/bbb",
    // the query is kept and not rewritten
    "one, two, /one?q=one, /two?q=one",
    // $ is literal in Envoy's syntax, \\ is a backslash
    "/a, /$1\\\\, /a/b, /$1\\/b",
  })
  void regexRewriteUsesEnvoySubstitutionSyntax(String pattern, String substitution, String path, String expected) {
    assertThat(regexRewritten(pattern, substitution, path)).isEqualTo(expected);
  }

  @Test
  void invalidSubstitutionEscapeIsRejected() {
    assertThatThrownBy(() -> regexRewritten("a", "\\x", "/a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid escape");
  }

  @Test
  void withoutRewriteThePathIsPassedAsReceived() {
    String path = "/keep?me=1";

    assertThat(forwardOf(match(prefix("/")), cluster("c"), path).path()).isSameAs(path);
  }

  @Test
  void forwardCarriesRouteSettings() {
    RouteAction.Forward action =
        new RouteAction.Forward(
            WeightedClusters.single("backend"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("upstream.internal"),
            true,
            Duration.ofSeconds(3),
            Optional.of(Duration.ofSeconds(30)));

    RouteDecision.Forward forward = forwardOf(match(prefix("/")), action, "/x");

    assertThat(forward.routeName()).isEqualTo("r");
    assertThat(forward.virtualHostName()).isEqualTo("v");
    assertThat(forward.cluster()).contains("backend");
    assertThat(forward.hostRewrite()).contains("upstream.internal");
    assertThat(forward.autoHostRewrite()).isTrue();
    assertThat(forward.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(forward.idleTimeout()).contains(Duration.ofSeconds(30));
    assertThat(forward.headerMutations()).isEmpty();
  }

  @Test
  void directResponseCarriesStatusAndBody() {
    Router router =
        Router.compile(
            table(vhost("v", List.of("*"), route("r", match(prefix("/")), new RouteAction.DirectResponse(418, Optional.of("teapot"))))));

    RouteDecision.Respond respond = (RouteDecision.Respond) router.route("h", "/", headers());

    assertThat(respond.status()).isEqualTo(418);
    assertThat(respond.body()).contains("teapot");
    assertThat(respond.routeName()).isEqualTo("r");
  }
}
