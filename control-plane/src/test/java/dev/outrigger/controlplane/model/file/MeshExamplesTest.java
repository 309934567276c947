package dev.outrigger.controlplane.model.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.model.GrpcRoute;
import dev.outrigger.controlplane.model.HttpRoute;
import dev.outrigger.controlplane.model.MeshConfig;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.ResourceId;
import dev.outrigger.controlplane.model.RouteFilter;
import dev.outrigger.controlplane.model.ServiceKey;
import dev.outrigger.controlplane.model.file.ConfigReconciler.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** docs/examples/mesh loads cleanly, into the model its comments describe. */
class MeshExamplesTest {
  static final Path EXAMPLES = Path.of("..", "docs", "examples", "mesh");

  @Test
  void theExampleMeshLoadsWithoutProblems() throws Exception {
    Outcome outcome = new ConfigReconciler().reconcile(ConfigFiles.read(EXAMPLES));

    assertThat(outcome.problems()).isEmpty();
    MeshModel model = outcome.model();
    assertThat(model.resources()).hasSize(10);
    assertThat(model.meshConfig().defaultInboundPolicy()).isEqualTo(MeshConfig.InboundPolicy.ALLOW);
    assertThat(model.services()).containsOnlyKeys(new ServiceKey("shop", "frontend"),
        new ServiceKey("shop", "cart"), new ServiceKey("shop", "cart-v2"),
        new ServiceKey("shop", "inventory"));

    HttpRoute cart = model.httpRoutes(new ServiceKey("shop", "cart")).get(0);
    HttpRoute.Rule canary = cart.rules().get(3);
    assertThat(canary.backendRefs()).extracting(b -> b.name() + ":" + b.weight())
        .containsExactly("cart:90", "cart-v2:10");
    assertThat(canary.filters()).hasExactlyElementsOfTypes(RouteFilter.RequestHeaderModifier.class,
        RouteFilter.ResponseHeaderModifier.class, RouteFilter.RequestMirror.class);
    assertThat(canary.timeouts().backendRequest()).contains(Duration.ofSeconds(2));
    assertThat(canary.retry().orElseThrow().backoff()).contains(Duration.ofMillis(100));
    assertThat(cart.rules().get(0).matches().get(0).path()).isEqualTo(HttpRoute.PathMatch.ANY);

    GrpcRoute inventory = model.grpcRoutes(new ServiceKey("shop", "inventory")).get(0);
    assertThat(inventory.rules().get(0).matches().get(0).method().orElseThrow().method())
        .contains("GetStock");
    assertThat(outcome.events()).extracting(e -> e.type() + " " + e.id().map(ResourceId::toString).orElse(""))
        .contains("APPLIED AuthorizationPolicy outrigger-system/deny-sandbox", "APPLIED MeshConfig default")
        .hasSize(10);
  }
}
