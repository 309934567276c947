package dev.outrigger.controlplane.model.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.ServiceKey;
import dev.outrigger.controlplane.model.file.ConfigReconciler.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * References across files, duplicates, and the per-file rule: a bad file keeps its last good
 * content serving, a good one is applied, a deletion that would break others is refused.
 */
class ConfigReconcilerTest {
  static final String CART = service("cart", 80);
  static final String ROUTE = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
      + "metadata: {name: r}\nspec:\n  parentRefs: [{kind: Service, name: cart, port: 80}]\n"
      + "  rules:\n  - backendRefs: [{name: cart, port: 80}, {name: cart, port: 81}]\n"
      + "    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}}}]\n";

  final ConfigReconciler reconciler = new ConfigReconciler();
  final Map<String, String> disk = new LinkedHashMap<>();

  @Test
  void referencesMustResolveToServicesAndTheirPorts() {
    disk.put("svc.yaml", CART);
    disk.put("route.yaml", ROUTE.replace("port: 80}]\n  rules", "port: 8080}]\n  rules"));
    assertThat(strings(reconciler.reconcile(disk).problems())).containsExactly(
        "route.yaml: HTTPRoute default/r: spec.parentRefs[0].port: Service default/cart has no port 8080",
        "route.yaml: HTTPRoute default/r: spec.rules[0].backendRefs[1].port: Service default/cart has no port 81",
        "route.yaml: HTTPRoute default/r: spec.rules[0].filters[0].requestMirror.backendRef: Service default/shadow does not exist");
    assertThat(reconciler.model().httpRoutes(new ServiceKey("default", "cart"))).isEmpty();
  }

  @Test
  void routesMustAttachToPortsOfTheirProtocol() {
    disk.put("svc.yaml", CART + "---\n" + service("db", 5432).replace("protocol: http", "protocol: tcp")
        + "---\n" + service("web", 80).replace("protocol: http}", "protocol: http}, {name: raw, port: 81, protocol: tcp}"));
    disk.put("routes.yaml", "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h}\n"
        + "spec: {parentRefs: [{kind: Service, name: db}, {kind: Service, name: web, port: 81}, {kind: Service, name: web}]}\n"
        + "---\napiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\n"
        + "spec: {parentRefs: [{kind: Service, name: cart, port: 80}]}\n");
    assertThat(strings(reconciler.reconcile(disk).problems())).containsExactly(
        "routes.yaml: HTTPRoute default/h: spec.parentRefs[0]: Service default/db has no grpc, http, http2 port for HTTPRoute",
        "routes.yaml: HTTPRoute default/h: spec.parentRefs[1].port: port 81 of Service default/web is tcp; HTTPRoute needs grpc, http, http2",
        "routes.yaml: GRPCRoute default/g: spec.parentRefs[0].port: port 80 of Service default/cart is http; GRPCRoute needs grpc, http2");
  }

  @Test
  void backendsMustSpeakWhatTheRouteForwards() {
    disk.put("svc.yaml", CART + "---\n" + service("db", 5432).replace("protocol: http", "protocol: tcp")
        + "---\n" + service("api", 90).replace("protocol: http", "protocol: grpc"));
    disk.put("routes.yaml", "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h}\n"
        + "spec:\n  parentRefs: [{kind: Service, name: cart}]\n  rules:\n  - backendRefs: [{name: db, port: 5432}]\n"
        + "    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: db, port: 5432}}}]\n"
        + "---\napiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\n"
        + "spec:\n  parentRefs: [{kind: Service, name: api}]\n  rules: [{backendRefs: [{name: cart, port: 80}]}]\n");
    assertThat(strings(reconciler.reconcile(disk).problems())).containsExactly(
        "routes.yaml: HTTPRoute default/h: spec.rules[0].backendRefs[0].port: port 5432 of Service default/db is tcp; HTTPRoute backends need grpc, http, http2",
        "routes.yaml: HTTPRoute default/h: spec.rules[0].filters[0].requestMirror.backendRef.port: port 5432 of Service default/db is tcp; HTTPRoute backends need grpc, http, http2",
        "routes.yaml: GRPCRoute default/g: spec.rules[0].backendRefs[0].port: port 80 of Service default/cart is http; GRPCRoute backends need grpc, http2");
  }

  @Test
  void consumerRoutesAreRejected() {
    disk.put("svc.yaml", CART);
    disk.put("route.yaml", ROUTE.replace("metadata: {name: r}", "metadata: {name: r, namespace: shop}")
        .replace("{kind: Service, name: cart, port: 80}", "{kind: Service, name: cart, namespace: default, port: 80}")
        .replace("rules:\n  - backendRefs: [{name: cart, port: 80}, {name: cart, port: 81}]\n"
            + "    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}}}]\n", "rules: []\n"));
    assertThat(strings(reconciler.reconcile(disk).problems())).containsExactly(
        "route.yaml: HTTPRoute shop/r: spec.parentRefs[0].namespace: consumer routes (a route in another namespace than its Service) are not supported; put the route in namespace default");
  }

  @Test
  void policyTargetsMustExistAndStayInTheirNamespaceUnlessRoot() {
    disk.put("svc.yaml", CART);
    disk.put("p.yaml", policy("p", "shop", "{kind: Service, name: cart, namespace: default}")
        + "---\n" + policy("q", "default", "{kind: Service, name: nope}")
        + "---\n" + policy("root", "outrigger-system", "{kind: Service, name: cart, namespace: default}")
        + "---\n" + policy("ports", "default", "{kind: Service, name: cart}")
            .replace("rules: [{}]", "rules: [{to: [{ports: [80]}, {ports: [80, 443]}]}]"));
    assertThat(strings(reconciler.reconcile(disk).problems())).containsExactly(
        "p.yaml: AuthorizationPolicy shop/p: spec.targetRef.namespace: only policies in the root namespace outrigger-system may target another namespace",
        "p.yaml: AuthorizationPolicy default/q: spec.targetRef: Service default/nope does not exist",
        "p.yaml: AuthorizationPolicy default/ports: spec.rules[0].to[1].ports[1]: Service default/cart has no port 443");
  }

  @Test
  void duplicatesAcrossFilesAndASecondMeshConfigAreRejected() {
    disk.put("a.yaml", CART + "---\n" + meshConfig("one"));
    disk.put("b.yaml", CART.replace("port: 80", "port: 90"));
    disk.put("c.yaml", meshConfig("two"));
    Outcome outcome = reconciler.reconcile(disk);
    assertThat(strings(outcome.problems())).containsExactly(
        "b.yaml: Service default/cart: duplicate: already defined in a.yaml",
        "c.yaml: MeshConfig two: only one MeshConfig may exist; MeshConfig one is defined in a.yaml");
    assertThat(outcome.model().services().get(new ServiceKey("default", "cart")).ports().get(0).port())
        .isEqualTo(80);
  }

  @Test
  void filesThatNeedEachOtherAreAppliedTogetherInAnyOrder() {
    disk.put("a-route.yaml", ROUTE.replace(", {name: cart, port: 81}", "").replace("shadow", "cart"));
    disk.put("z-svc.yaml", CART);
    assertThat(reconciler.reconcile(disk).problems()).isEmpty();

    // Once more with a bad file among them, so that the files are tried one at a time.
    ConfigReconciler fresh = new ConfigReconciler();
    disk.put("b-dangling.yaml", ROUTE.replace("name: r}", "name: dangling}").replace("name: cart, port: 80}]\n  rules", "name: gone}]\n  rules"));
    Outcome outcome = fresh.reconcile(disk);
    assertThat(strings(outcome.problems())).containsExactly(
        "b-dangling.yaml: HTTPRoute default/dangling: spec.parentRefs[0]: Service default/gone does not exist",
        "b-dangling.yaml: HTTPRoute default/dangling: spec.rules[0].backendRefs[1].port: Service default/cart has no port 81",
        "b-dangling.yaml: HTTPRoute default/dangling: spec.rules[0].filters[0].requestMirror.backendRef: Service default/shadow does not exist");
    assertThat(outcome.model().resources()).extracting(r -> r.id().toString())
        .containsExactly("Service default/cart", "HTTPRoute default/r");
  }

  @Test
  void aBadFileKeepsItsLastGoodContentAndOtherFilesStillApply() {
    disk.put("svc.yaml", CART);
    disk.put("other.yaml", service("other", 80));
    assertThat(reconciler.reconcile(disk).problems()).isEmpty();

    disk.put("svc.yaml", CART.replace("port: 80", "port: -80") + "---\n" + service("extra", 80));
    disk.put("other.yaml", service("other", 90));
    Outcome outcome = reconciler.reconcile(disk);

    assertThat(strings(outcome.problems()))
        .containsExactly("svc.yaml: Service default/cart: spec.ports[0].port: must be >= 1");
    assertThat(outcome.model().services().keySet()).extracting(ServiceKey::name)
        .containsExactlyInAnyOrder("cart", "other");   // not "extra": the file is rejected whole
    assertThat(outcome.model().services().get(new ServiceKey("default", "cart")).ports().get(0).port())
        .isEqualTo(80);
    assertThat(outcome.events()).extracting(ResourceEvent::toString).containsExactly(
        "CHANGED Service default/other from other.yaml",
        "REJECTED Service default/cart from svc.yaml: [svc.yaml: Service default/cart: spec.ports[0].port: must be >= 1]",
        "REJECTED Service default/extra from svc.yaml: [svc.yaml: Service default/cart: spec.ports[0].port: must be >= 1]");
  }

  @Test
  void aDeletionThatWouldLeaveDanglingReferencesIsRefused() {
    disk.put("svc.yaml", CART);
    disk.put("route.yaml", ROUTE.replace(", {name: cart, port: 81}", "").replace("shadow", "cart"));
    assertThat(reconciler.reconcile(disk).problems()).isEmpty();

    disk.remove("svc.yaml");
    Outcome refused = reconciler.reconcile(disk);
    assertThat(strings(refused.problems())).hasSize(3).first().isEqualTo("svc.yaml: deletion not applied,"
        + " it would break route.yaml: HTTPRoute default/r: spec.parentRefs[0]: Service default/cart does not exist");
    assertThat(refused.modelChanged()).isFalse();
    assertThat(refused.events()).extracting(ResourceEvent::type).containsExactly(ResourceEvent.Type.REJECTED);

    disk.remove("route.yaml");
    Outcome both = reconciler.reconcile(disk);
    assertThat(both.problems()).isEmpty();
    assertThat(both.model().resources()).isEmpty();
    assertThat(both.events()).extracting(ResourceEvent::toString).containsExactlyInAnyOrder(
        "DELETED HTTPRoute default/r from route.yaml", "DELETED Service default/cart from svc.yaml");
  }

  @Test
  void anUnparseableNewFileIsOneRejectionWithoutAResource() {
    disk.put("bad.yaml", "kind: [\n");
    Outcome outcome = reconciler.reconcile(disk);
    assertThat(outcome.events()).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo(ResourceEvent.Type.REJECTED);
      assertThat(event.id()).isEmpty();
      assertThat(event.problems()).singleElement().asString().startsWith("bad.yaml: invalid YAML: ");
    });
    assertThat(outcome.modelChanged()).isFalse();
  }

  static String service(String name, int port) {
    return "apiVersion: outrigger.dev/v1alpha1\nkind: Service\nmetadata: {name: " + name + "}\n"
        + "spec:\n  ports: [{name: http, port: " + port + ", protocol: http}]\n";
  }

  static String meshConfig(String name) {
    return "apiVersion: outrigger.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: " + name + "}\nspec: {}\n";
  }

  static String policy(String name, String namespace, String target) {
    return "apiVersion: outrigger.dev/v1alpha1\nkind: AuthorizationPolicy\nmetadata: {name: " + name
        + ", namespace: " + namespace + "}\nspec: {action: ALLOW, targetRef: " + target + ", rules: [{}]}\n";
  }

  private static List<String> strings(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }
}
