package dev.outrigger.proxy.http.routing;

import static dev.outrigger.proxy.http.routing.RouteTables.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteMatchConfig.PathMatch;
import dev.outrigger.proxy.http.filter.RouteFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The index must never change which route wins: compare the router with a plain first-match scan
 * over every route, on tables and paths drawn from a small alphabet so that segments collide.
 */
class CandidateIndexTest {
  private static final String[] SEGMENTS = {"a", "A", "ab", "b", ""};
  private static final String[] REGEXES = {
    "/a/.*", "/a.*", "/(a|b)/x", "/ab?/x", "(?i)/a/x", "/a/x|/b", "/a+/x", "/[ab]/x", "/a/x?", "/a{1,2}/x",
  };

  private final Random random = new Random(7);

  @Test
  void indexedRoutingEqualsFirstMatchScan() {
    for (int table = 0; table < 50; table++) {
      List<RouteConfig> routes = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        routes.add(route("r" + i, randomMatch(), respond(200)));
      }
      Router router = Router.compile(table(vhost("v", List.of("*"), routes.toArray(RouteConfig[]::new))));
      List<RouteEntry> scan = new ArrayList<>();
      for (RouteConfig route : routes) {
        RouteDecision named = new RouteDecision.Respond(route.name(), "v", 200, Optional.empty(), List.of(), RouteFilters.NONE);
        scan.add(new RouteEntry(route.match(), (request, matched) -> named));
      }

      for (int i = 0; i < 200; i++) {
        String path = randomPath();
        assertThat(nameOf(router.route("h", path, headers())))
            .as("path %s in table %d", path, table)
            .isEqualTo(nameOf(firstMatch(scan, new RequestView("GET", "h", path, headers()))));
      }
    }
  }

  private static RouteDecision firstMatch(List<RouteEntry> routes, RequestView request) {
    for (RouteEntry route : routes) {
      RouteDecision decision = route.decide(request);
      if (decision != null) {
        return decision;
      }
    }
    return RouteDecision.NoRoute.INSTANCE;
  }

  private static String nameOf(RouteDecision decision) {
    return decision instanceof RouteDecision.Respond ? ((RouteDecision.Respond) decision).routeName() : "none";
  }

  private RouteMatchConfig randomMatch() {
    String literal = randomPath().replaceAll("[?#].*", "");
    PathMatch path;
    switch (random.nextInt(4)) {
      case 0:
        path = prefix(random.nextBoolean() ? literal : literal + "/");
        break;
      case 1:
        path = exact(literal);
        break;
      case 2:
        path = separated(literal);
        break;
      default:
        path = regex(REGEXES[random.nextInt(REGEXES.length)]);
    }
    return match(path, random.nextBoolean());
  }

  private String randomPath() {
    StringBuilder path = new StringBuilder();
    int segments = 1 + random.nextInt(3);
    for (int i = 0; i < segments; i++) {
      path.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    if (random.nextInt(4) == 0) {
      path.append(random.nextBoolean() ? "?x=/a/b" : "#/a");
    }
    return path.toString();
  }
}
