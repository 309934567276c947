package dev.outrigger.proxy.http.routing;

import static dev.outrigger.proxy.http.routing.RouteTables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.proxy.config.VirtualHostConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtualHostSelectionTest {

  private static VirtualHostConfig host(String name, String... domains) {
    return vhost(name, List.of(domains), route("r-" + name, match(prefix("/")), respond(200)));
  }

  private static final Router ROUTER =
      Router.compile(
          table(
              host("exact", "a.com", "www.a.com"),
              host("exact-port", "a.com:8080"),
              host("suffix", "*.a.com"),
              host("suffix-longer", "*-bar.a.com"),
              host("prefix", "foo.*"),
              host("prefix-longer", "foo.bar.*"),
              host("any", "*")));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "a.com, exact",
    "A.Com, exact",
    "www.a.com, exact",
    "a.com:8080, exact-port",
    "A.COM:8080, exact-port",
    // Envoy's default: the port is part of the authority; no fallback to the bare domain.
    "a.com:9090, any",
    "x.a.com, suffix",
    "X.A.COM, suffix",
    "x-bar.a.com, suffix-longer",
    // a wildcard stands for at least one character
    "-bar.a.com, suffix",
    "x.a.com:8080, any",
    "foo.example, prefix",
    "foo.example:80, prefix",
    "foo.bar.example, prefix-longer",
    "foo., any",
    // suffix wildcards are searched before prefix wildcards
    "foo.a.com, suffix",
    "elsewhere.org, any",
  })
  void choosesVirtualHostInEnvoyOrder(String authority, String expected) {
    RouteDecision decision = ROUTER.route(authority, "/", headers());

    assertThat(decision).isInstanceOf(RouteDecision.Respond.class);
    assertThat(((RouteDecision.Respond) decision).virtualHostName()).isEqualTo(expected);
  }

  @Test
  void noVirtualHostMeansNoRoute() {
    Router router = Router.compile(table(host("only", "a.com")));

    assertThat(router.route("b.com", "/", headers())).isInstanceOf(RouteDecision.NoRoute.class);
    assertThat(router.route(null, "/", headers())).isInstanceOf(RouteDecision.NoRoute.class);
  }

  @Test
  void domainInTwoVirtualHostsIsRejected() {
    assertThatThrownBy(() -> Router.compile(table(host("one", "a.com"), host("two", "A.com"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("domain A.com of virtual host two is already a domain of virtual host one");
  }
}
