package dev.outrigger.benchmarks;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.RouteMatchConfig.PathMatch;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.http.routing.RouteDecision;
import dev.outrigger.proxy.http.routing.Router;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Router#route} over a table of 1,000 routes: four virtual hosts of 250 routes each, a
 * rotation of prefix-with-header, regex, exact and prefix matches, one route in 25 a header-only
 * catch-all (which the first-segment index cannot narrow away). Measures a hit on a virtual host's
 * first route, a hit on its last, and a miss that still tests every route it could match.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteMatchBenchmark {
  private static final int VIRTUAL_HOSTS = 4;
  private static final int ROUTES_PER_HOST = 250;

  private Router router;
  private HttpHeaders headers;

  @Setup
  public void setUp() {
    List<VirtualHostConfig> hosts = new ArrayList<>();
    for (int host = 0; host < VIRTUAL_HOSTS; host++) {
      List<RouteConfig> routes = new ArrayList<>();
      for (int i = 0; i < ROUTES_PER_HOST; i++) {
        routes.add(new RouteConfig("r" + host + "-" + i, match(i), forward("cluster-" + i), HeaderMutations.NONE));
      }
      hosts.add(
          new VirtualHostConfig(
              "vhost-" + host,
              List.of("api-" + host + ".example.com", "api-" + host + ".example.com:8080", "*.api-" + host + ".example.com"),
              routes,
              HeaderMutations.NONE));
    }
    router = Router.compile(new RouteTableConfig("bench", hosts, HeaderMutations.NONE));
    headers = new DefaultHttpHeaders();
    headers.add("user-agent", "bench/1.0");
    headers.add("accept", "application/json");
    headers.add("x-forwarded-proto", "http");
    headers.add("x-tenant", "t0");
  }

  private static RouteMatchConfig match(int i) {
    if (i % 25 == 12) {
      return new RouteMatchConfig(
          new PathMatch.Prefix("/"), true, List.of(exactHeader("x-debug-route", "r" + i)), List.of(), false);
    }
    String segment = "/svc" + i;
    switch (i % 4) {
      case 0:
        return new RouteMatchConfig(
            new PathMatch.Prefix(segment + "/"), true, List.of(exactHeader("x-tenant", "t" + (i % 3))), List.of(), false);
      case 1:
        return pathOnly(new PathMatch.Regex(Pattern.compile(segment + "/items/[0-9]+")));
      case 2:
        return pathOnly(new PathMatch.Exact(segment + "/items"));
      default:
        return pathOnly(new PathMatch.Prefix(segment + "/"));
    }
  }

  private static RouteMatchConfig pathOnly(PathMatch path) {
    return new RouteMatchConfig(path, true, List.of(), List.of(), false);
  }

  private static HeaderMatcher exactHeader(String name, String value) {
    return new HeaderMatcher(name, Optional.of(new StringMatcher.Exact(value, false)), false, false);
  }

  private static RouteAction forward(String cluster) {
    return new RouteAction.Forward(
        WeightedClusters.single(cluster),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        RouteAction.Forward.DEFAULT_TIMEOUT,
        Optional.empty());
  }

  /** Route 0 of the first virtual host: prefix plus a header match. */
  @Benchmark
  public RouteDecision hitEarly() {
    return router.route("api-0.example.com", "/svc0/orders/17", headers);
  }

  /** Route 249 of the last virtual host, a regex, reached through a suffix-wildcard domain. */
  @Benchmark
  public RouteDecision hitLate() {
    return router.route("eu.api-3.example.com", "/svc249/items/42?page=2", headers);
  }

  /** No route of the last virtual host matches: the catch-alls are tested, then 404. */
  @Benchmark
  public RouteDecision miss() {
    return router.route("api-3.example.com:8080", "/nothing/here", headers);
  }
}
