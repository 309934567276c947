package dev.outrigger.proxy.http.routing;

import static dev.outrigger.proxy.http.routing.RouteTables.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HeaderMutations.AppendAction;
import dev.outrigger.proxy.config.HeaderMutations.HeaderValueOption;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeaderMutatorTest {
  private static final AppendAction APPEND = AppendAction.APPEND_IF_EXISTS_OR_ADD;
  private static final AppendAction IF_ABSENT = AppendAction.ADD_IF_ABSENT;
  private static final AppendAction OVERWRITE = AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
  private static final AppendAction IF_EXISTS = AppendAction.OVERWRITE_IF_EXISTS;

  private static HeaderMutations level(List<String> removals, HeaderValueOption... adds) {
    return new HeaderMutations(List.of(adds), removals, List.of(), List.of());
  }

  static Stream<Arguments> singleLevelCases() {
    return Stream.of(
        Arguments.of("append to existing", headers("x", "a"), level(List.of(), add("x", "b", APPEND)), List.of("a", "b")),
        Arguments.of("append adds", headers(), level(List.of(), add("x", "b", APPEND)), List.of("b")),
        Arguments.of("add if absent, present", headers("x", "a"), level(List.of(), add("x", "b", IF_ABSENT)), List.of("a")),
        Arguments.of("add if absent, absent", headers(), level(List.of(), add("x", "b", IF_ABSENT)), List.of("b")),
        Arguments.of("overwrite replaces every value", headers("x", "a", "x", "c"), level(List.of(), add("x", "b", OVERWRITE)), List.of("b")),
        Arguments.of("overwrite adds", headers(), level(List.of(), add("x", "b", OVERWRITE)), List.of("b")),
        Arguments.of("overwrite if exists, present", headers("x", "a"), level(List.of(), add("x", "b", IF_EXISTS)), List.of("b")),
        Arguments.of("overwrite if exists, absent", headers(), level(List.of(), add("x", "b", IF_EXISTS)), List.of()),
        Arguments.of("empty value not added", headers(), level(List.of(), add("x", "", APPEND)), List.of()),
        Arguments.of("removal", headers("x", "a", "X", "c"), level(List.of("x")), List.of()),
        Arguments.of("removal comes before adds", headers("x", "a"), level(List.of("x"), add("x", "b", IF_ABSENT)), List.of("b")),
        // every add is decided on the headers before the level's own adds, then overwrites, then appends
        Arguments.of("overwrite lands before append", headers("x", "a"), level(List.of(), add("x", "1", APPEND), add("x", "2", OVERWRITE)), List.of("2", "1")),
        Arguments.of("add if absent ignores the level's adds", headers(), level(List.of(), add("x", "1", APPEND), add("x", "2", IF_ABSENT)), List.of("1", "2")),
        Arguments.of("overwrite if exists ignores the level's adds", headers(), level(List.of(), add("x", "1", OVERWRITE), add("x", "2", IF_EXISTS)), List.of("1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleLevelCases")
  void appliesOneLevel(String description, HttpHeaders headers, HeaderMutations level, List<String> values) {
    HeaderMutator.applyRequest(headers, List.of(level));

    assertThat(headers.getAll("x")).containsExactlyElementsOf(values);
  }

  @Test
  void generalLevelOverwritesWinAndSpecificAppendsComeFirst() {
    HttpHeaders headers = headers();
    HeaderMutations route = level(List.of(), add("x", "route", APPEND), add("y", "route", OVERWRITE));
    HeaderMutations table = level(List.of(), add("x", "table", APPEND), add("y", "table", OVERWRITE));

    HeaderMutator.applyRequest(headers, List.of(route, table));

    assertThat(headers.getAll("x")).containsExactly("route", "table");
    assertThat(headers.getAll("y")).containsExactly("table");
  }

  @Test
  void responseMutationsUseTheResponseLists() {
    HeaderMutations both =
        new HeaderMutations(
            List.of(add("req", "1", APPEND)), List.of("gone"), List.of(add("resp", "1", APPEND)), List.of("drop"));
    HttpHeaders response = headers("drop", "x", "gone", "y");

    HeaderMutator.applyResponse(response, List.of(both));

    assertThat(response.names()).containsExactlyInAnyOrder("resp", "gone");
  }

  @Test
  void decisionsComposeLevelsFromWeightedClusterToRouteTable() {
    HeaderMutations clusterLevel = level(List.of(), add("x-level", "cluster", APPEND));
    HeaderMutations routeLevel = level(List.of(), add("x-level", "route", APPEND));
    HeaderMutations hostLevel = level(List.of(), add("x-level", "vhost", APPEND));
    HeaderMutations tableLevel = level(List.of(), add("x-level", "table", APPEND));
    WeightedClusters clusters = WeightedClusters.of(List.of(new WeightedClusters.Entry("c", 1, clusterLevel)));
    RouteConfig route =
        new RouteConfig("r", match(prefix("/")), forward(clusters, Optional.empty(), Optional.empty()), routeLevel);
    VirtualHostConfig host = new VirtualHostConfig("v", List.of("*"), List.of(route), hostLevel);
    Router router = Router.compile(new RouteTableConfig("t", List.of(host), tableLevel));
    HttpHeaders request = headers();

    RouteDecision.Forward forward = (RouteDecision.Forward) router.route("h", "/", request);
    HeaderMutator.applyRequest(request, forward.headerMutations());

    assertThat(request.getAll("x-level")).containsExactly("cluster", "route", "vhost", "table");
  }
}
