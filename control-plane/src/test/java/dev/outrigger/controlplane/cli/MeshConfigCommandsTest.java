package dev.outrigger.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.controlplane.ca.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctl validate} and {@code control-plane --config-dir}, in-process, on the example mesh and broken copies. */
class MeshConfigCommandsTest {
  static final Path EXAMPLES = Path.of("..", "docs", "examples", "mesh");
  static final String BAD_ROUTE = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
      + "metadata: {name: cart-v2, namespace: shop}\n"
      + "spec:\n  parentRefs: [{kind: Service, name: cart}]\n"
      + "  rules: [{backendRefs: [{name: cart, port: 8080}, {name: cart-v2, port: 8080, weight: -1}]}]\n";

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @Test
  void validateAcceptsTheExampleMesh() {
    assertThat(run("ctl", "validate", "-f", EXAMPLES.toString())).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).isEqualTo("10 resources in 5 files: valid\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void validateReportsEveryProblemOnStandardErrorAndExitsWithOne() throws Exception {
    Path routes = Files.writeString(dir.resolve("routes.yaml"), BAD_ROUTE);
    Files.writeString(dir.resolve("more.yaml"), "kind: Gadget\n");
    assertThat(run("ctl", "validate", "-f", EXAMPLES.toString(), "-f", dir.toString()))
        .isEqualTo(ExitCodes.INVALID);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).containsExactly(
        dir.resolve("more.yaml") + ": document 1: apiVersion: required",
        dir.resolve("more.yaml") + ": document 1: kind: must be one of MeshConfig, Service, HTTPRoute,"
            + " GRPCRoute, AuthorizationPolicy, not \"Gadget\"",
        dir.resolve("more.yaml") + ": document 1: metadata: required",
        routes + ": HTTPRoute shop/cart-v2: spec.rules[0].backendRefs[1].weight: must be >= 0");
  }

  @Test
  void validateOfAMissingPathOrAnEmptyDirectoryExitsWithOne() {
    assertThat(run("ctl", "validate", "-f", dir.resolve("nope").toString())).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("nope: no such file or directory");
    assertThat(run("ctl", "validate", "-f", dir.toString())).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("no mesh resource files (*.yaml, *.yml, *.json) in [" + dir + "]");
  }

  @Test
  void controlPlaneRefusesToStartOnAnInvalidDirectory() throws Exception {
    Files.writeString(dir.resolve("routes.yaml"), BAD_ROUTE);
    int code = run("control-plane", "--state-dir", dir.resolve("state").toString(), "--ca-port", "0",
        "--config-dir", dir.toString());
    assertThat(code).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("outrigger: invalid mesh configuration in " + dir + ":\n"
        + dir.resolve("routes.yaml") + ": HTTPRoute shop/cart-v2: spec.rules[0].backendRefs[1].weight: must be >= 0\n");
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void controlPlaneRefusesAMeshConfigOfAnotherTrustDomainThanItsCa() throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), """
        apiVersion: outrigger.dev/v1alpha1
        kind: MeshConfig
        metadata: {name: mesh}
        spec: {trustDomain: example.org}
        """);
    int code = run("control-plane", "--state-dir", dir.resolve("state").toString(), "--ca-port", "0",
        "--admin-port", "0", "--config-dir", dir.toString());
    assertThat(code).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("the mesh model's MeshConfig spec.trustDomain is example.org but the CA"
        + " signs for --trust-domain cluster.local; make them the same");
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void controlPlaneLoadsTheDirectoryAndStops() throws Exception {
    AtomicReference<Runnable> stop = new AtomicReference<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(
        new String[] {"control-plane", "--state-dir", dir.resolve("state").toString(), "--ca-port", "0",
            "--admin-port", "0", "--config-dir", EXAMPLES.toString()},
        new PrintWriter(out, true), new PrintWriter(err, true), clock, stop::set));
    await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("mesh model") || exit.isDone());
    assertThat(out.toString()).as(err.toString())
        .contains("mesh model: 10 resources from " + EXAMPLES + " (watched)");
    stop.get().run();
    assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), clock, action -> { });
  }
}
