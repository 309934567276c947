package dev.outrigger.proxy.http.routing;

import static dev.outrigger.proxy.http.routing.RouteTables.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteMatchConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedirectTest {

  private static Optional<String> part(String value) {
    return value == null ? Optional.empty() : Optional.of(value);
  }

  @ParameterizedTest(name = "[{index}] {0} {1}{2} -> {10}")
  @CsvSource(
      nullValues = "-",
      value = {
        // request scheme, authority, path, scheme, host, port, path_redirect, prefix_rewrite, strip_query, route prefix, location
        "http, a.com, /p?q=1, -, -, -, -, -, false, /, http://a.com/p?q=1",
        "http, a.com, /p, https, -, -, -, -, false, /, https://a.com/p",
        // leaving a scheme drops the port that was that scheme's default
        "http, a.com:80, /p, https, -, -, -, -, false, /, https://a.com/p",
        "https, a.com:443, /p, http, -, -, -, -, false, /, http://a.com/p",
        "http, a.com:8080, /p, https, -, -, -, -, false, /, https://a.com:8080/p",
        "http, a.com:443, /p, https, -, -, -, -, false, /, https://a.com:443/p",
        "http, a.com:80, /p, http, -, -, -, -, false, /, http://a.com:80/p",
        "http, [::1]:80, /p, https, -, -, -, -, false, /, https://[::1]/p",
        "http, [::1], /p, https, -, -, -, -, false, /, https://[::1]/p",
        "http, a.com:8080, /p, -, b.com, -, -, -, false, /, http://b.com/p",
        "http, a.com:80, /p, -, -, 8443, -, -, false, /, http://a.com:8443/p",
        "http, a.com, /p, -, b.com, 9000, -, -, false, /, http://b.com:9000/p",
        "https, a.com, /p, -, -, -, -, -, false, /, https://a.com/p",
        // path_redirect keeps the request's query unless it brings its own
        "http, a.com, /old?x=1, -, -, -, /new, -, false, /, http://a.com/new?x=1",
        "http, a.com, /old?x=1, -, -, -, /new?y=2, -, false, /, http://a.com/new?y=2",
        "http, a.com, /old?x=1, -, -, -, /new?y=2, -, true, /, http://a.com/new?y=2",
        "http, a.com, /old?x=1, -, -, -, /new, -, true, /, http://a.com/new",
        "http, a.com, /old, -, -, -, new, -, false, /, http://a.com/new",
        "http, a.com, /old?x=1, -, -, -, -, -, true, /, http://a.com/old",
        "http, a.com, /old/a?x=1, -, -, -, -, /new/, false, /old/, http://a.com/new/a?x=1",
        "http, a.com, /old/a?x=1, -, -, -, -, /new/, true, /old/, http://a.com/new/a",
        "http, a.com, /old/a, -, -, -, -, '', false, /old/, http://a.com/a",
      })
  void buildsLocationLikeEnvoy(
      String requestScheme,
      String authority,
      String path,
      String scheme,
      String host,
      Integer port,
      String pathRedirect,
      String prefixRewrite,
      boolean stripQuery,
      String routePrefix,
      String location) {
    RouteAction.Redirect redirect =
        new RouteAction.Redirect(
            part(scheme), part(host), Optional.ofNullable(port), part(pathRedirect), part(prefixRewrite), 308, stripQuery);
    RouteMatchConfig match = match(prefix(routePrefix));
    Router router = Router.compile(table(vhost("v", List.of("*"), route("r", match, redirect))));

    RouteDecision decision = router.route(authority, path, headers("x-forwarded-proto", requestScheme));

    assertThat(decision).isInstanceOf(RouteDecision.Redirect.class);
    RouteDecision.Redirect result = (RouteDecision.Redirect) decision;
    assertThat(result.location()).isEqualTo(location);
    assertThat(result.status()).isEqualTo(308);
    assertThat(result.routeName()).isEqualTo("r");
  }
}
