package dev.outrigger.proxy.http.routing;

import static dev.outrigger.proxy.http.routing.RouteTables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HeaderMutations.AppendAction;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.WeightedClusters;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterPickTest {

  private static final HeaderMutations CANARY_HEADERS = requestAdds(add("x-canary", "1", AppendAction.APPEND_IF_EXISTS_OR_ADD));

  private static final WeightedClusters STABLE_AND_CANARY =
      WeightedClusters.of(
          List.of(
              new WeightedClusters.Entry("stable", 3, HeaderMutations.NONE),
              new WeightedClusters.Entry("canary", 1, CANARY_HEADERS)));

  private static Router weightedRouter(WeightedClusters clusters, IntUnaryOperator draw) {
    return Router.compile(
        table(vhost("v", List.of("*"), route("r", match(prefix("/")), forward(clusters, Optional.empty(), Optional.empty())))),
        draw);
  }

  @ParameterizedTest(name = "draw {0} -> {1}")
  @CsvSource({"0, stable", "2, stable", "3, canary"})
  void drawFallsIntoCumulativeWeights(int drawn, String cluster) {
    Router router = weightedRouter(STABLE_AND_CANARY, bound -> drawn);

    RouteDecision.Forward forward = (RouteDecision.Forward) router.route("h", "/", headers());

    assertThat(forward.cluster()).contains(cluster);
  }

  @Test
  void seededDrawsFollowTheWeights() {
    Random seeded = new Random(20261129);
    Router router = weightedRouter(STABLE_AND_CANARY, seeded::nextInt);
    Map<String, Integer> picks = new HashMap<>();
    int requests = 40_000;

    for (int i = 0; i < requests; i++) {
      RouteDecision.Forward forward = (RouteDecision.Forward) router.route("h", "/", headers());
      picks.merge(forward.cluster().orElseThrow(), 1, Integer::sum);
    }

    assertThat(picks.keySet()).containsExactlyInAnyOrder("stable", "canary");
    assertThat(picks.get("canary") / (double) requests).isCloseTo(0.25, within(0.01));
  }

  @Test
  void drawIsBoundedByTheSumOfWeights() {
    int[] bounds = new int[1];
    Router router = weightedRouter(STABLE_AND_CANARY, bound -> bounds[0] = bound);

    router.route("h", "/", headers());

    assertThat(bounds[0]).isEqualTo(4);
  }

  @Test
  void pickedClusterBringsItsHeaderMutationsFirst() {
    Router router = weightedRouter(STABLE_AND_CANARY, bound -> 3);

    RouteDecision.Forward forward = (RouteDecision.Forward) router.route("h", "/", headers());

    assertThat(forward.headerMutations()).containsExactly(CANARY_HEADERS);
  }

  @Test
  void weightsAddingUpToZeroAreRejected() {
    WeightedClusters none = WeightedClusters.of(List.of(new WeightedClusters.Entry("a", 0, HeaderMutations.NONE)));

    assertThatThrownBy(() -> weightedRouter(none, bound -> 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static Optional<String> clusterFromHeader(HttpHeaders headers) {
    RouteAction.Forward byHeader =
        new RouteAction.Forward(
            new WeightedClusters(List.of(), 0),
            Optional.of("X-Cluster"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            RouteAction.Forward.DEFAULT_TIMEOUT,
            Optional.empty());
    Router router = Router.compile(table(vhost("v", List.of("*"), route("r", match(prefix("/")), byHeader))));
    return ((RouteDecision.Forward) router.route("h", "/", headers)).cluster();
  }

  @Test
  void clusterHeaderNamesTheCluster() {
    assertThat(clusterFromHeader(headers("x-cluster", "blue"))).contains("blue");
    assertThat(clusterFromHeader(headers("x-cluster", "blue", "x-cluster", "green"))).contains("blue");
    assertThat(clusterFromHeader(headers("x-cluster", ""))).isEmpty();
    assertThat(clusterFromHeader(headers())).isEmpty();
  }
}
