package dev.outrigger.proxy.http.routing;

import static dev.outrigger.proxy.http.routing.RouteTables.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig.PathMatch;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathMatchTest {

  private static PathMatch pathMatch(String kind, String value) {
    switch (kind) {
      case "prefix":
        return prefix(value);
      case "exact":
        return exact(value);
      case "separated":
        return separated(value);
      case "regex":
        return regex(value);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  @ParameterizedTest(name = "{0} {1} (case sensitive {2}) on {3}: {4}")
  @CsvSource({
    "prefix, /api, true, /api, true",
    "prefix, /api, true, /apix, true",
    "prefix, /api, true, /api/x?y=1, true",
    "prefix, /api, true, /ap, false",
    "prefix, /api, true, /API/x, false",
    "prefix, /api, false, /API/x, true",
    "prefix, /api/, false, /Api/x, true",
    // the query is not part of the path
    "prefix, /api?, true, /api?x, false",
    "exact, /api, true, /api, true",
    "exact, /api, true, /api?q=1, true",
    "exact, /api, true, /api/, false",
    "exact, /api, true, /ap, false",
    "exact, /api, true, /API, false",
    "exact, /api, false, /API, true",
    "exact, /, true, /, true",
    "exact, /, true, /?q, true",
    "separated, /api, true, /api, true",
    "separated, /api, true, /api/x, true",
    "separated, /api, true, /api?x=1, true",
    "separated, /api, true, /api#frag, true",
    "separated, /api, true, /apix, false",
    "separated, /api, true, /API/x, false",
    "separated, /api, false, /API/x, true",
    "regex, /v[0-9]+/items, true, /v12/items, true",
    "regex, /v[0-9]+/items, true, /v12/items?all=1, true",
    // a regex must match the whole path
    "regex, /v[0-9]+/items, true, /v12/items/3, false",
    "regex, /v[0-9]+/items, true, /x/v12/items, false",
    // case_sensitive does not apply to safe_regex
    "regex, /v[0-9]+/items, false, /V12/ITEMS, false",
    "regex, (?i)/v[0-9]+/items, true, /V12/ITEMS, true",
    "regex, /a/x|/b/y, true, /b/y, true",
    "regex, /ap?i/x, true, /ai/x, true",
    "regex, /api/v.*, true, /api/vz, true",
  })
  void matchesPathKinds(String kind, String value, boolean caseSensitive, String path, boolean matches) {
    Router router =
        Router.compile(
            table(vhost("v", List.of("*"), route("r", match(pathMatch(kind, value), caseSensitive), respond(200)))));

    RouteDecision decision = router.route("host", path, headers());

    assertThat(decision instanceof RouteDecision.Respond).isEqualTo(matches);
  }

  private static final Router ORDERED =
      Router.compile(
          table(
              vhost(
                  "v",
                  List.of("*"),
                  named("api-v2", match(prefix("/api/v2/"))),
                  named("flagged", matchHeaders(prefix("/"), header("x-flag", new dev.outrigger.proxy.config.StringMatcher.Exact("on", false)))),
                  named("api-v1-exact", match(exact("/api/v1"))),
                  named("api-regex", match(regex("/api/.*"))),
                  named("api-v1-separated", match(separated("/api/v1"))),
                  named("starts-with-a", match(prefix("/a"))),
                  named("api-caseless", match(prefix("/API/"), false)))));

  private static RouteConfig named(String name, dev.outrigger.proxy.config.RouteMatchConfig match) {
    return route(name, match, respond(200));
  }

  @ParameterizedTest(name = "{0} flag={1} -> {2}")
  @CsvSource({
    "/api/v2/x, off, api-v2",
    // an unpinned route listed earlier wins over pinned ones listed later
    "/api/v1, on, flagged",
    "/api/v1, off, api-v1-exact",
    "/api/v3, off, api-regex",
    "/api/v1/x, off, api-regex",
    "/abc, off, starts-with-a",
    "/a, off, starts-with-a",
    "/API/v2/x, off, api-caseless",
    "/Api, off, NONE",
    "/, off, NONE",
    "'', off, NONE",
    "*, off, NONE",
  })
  void firstMatchingRouteWinsWhateverTheIndex(String path, String flag, String expected) {
    RouteDecision decision = ORDERED.route("host", path, headers("x-flag", flag));

    String routeName =
        decision instanceof RouteDecision.Respond ? ((RouteDecision.Respond) decision).routeName() : "NONE";
    assertThat(routeName).isEqualTo(expected);
  }
}
