package dev.outrigger.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outrigger.controlplane.model.ServiceKey;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadTest {
  @Test
  void aSidecarDeclaresItsWorkloadInNodeMetadata() {
    Workload workload = Workload.of(Meshes.sidecar("cart-1", "shop", "cart", "cart-sa", "10.0.0.5", Map.of("http", 9001)));

    assertThat(workload.nodeId()).isEqualTo("cart-1");
    assertThat(workload.workload()).contains(new Workload.Identity(new ServiceKey("shop", "cart"),
        Optional.of("cart-sa"), "10.0.0.5", Map.of("http", 9001), Map.of()));
  }

  @Test
  void aSidecarDeclaresTheLocalPortsOfItsTcpUpstreams() {
    Workload workload = Workload.of(Meshes.sidecar("cart-1", "shop", "cart", null, "10.0.0.5", Map.of(),
        Map.of("db.shop:5432", 15432)));

    assertThat(workload.workload().orElseThrow().tcpUpstreams()).isEqualTo(Map.of("db.shop:5432", 15432));
  }

  @Test
  void aNodeWithoutAServiceHasNoWorkload() {
    assertThat(Workload.of(Node.newBuilder().setId("gw").build()).workload()).isEmpty();
  }

  @Test
  void theNamespaceDefaultsAndTheServiceAccountIsOptional() {
    Workload workload = Workload.of(node(Map.of(Workload.SERVICE, text("web"), Workload.ADDRESS, text("10.0.0.1"))));

    assertThat(workload.workload().orElseThrow().service()).isEqualTo(new ServiceKey("default", "web"));
    assertThat(workload.workload().orElseThrow().serviceAccount()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no address    | outrigger.service | web | node n: outrigger.service without outrigger.address",
      "empty service | outrigger.service |     | node n metadata outrigger.service: expected a non-empty string"})
  void badMetadataIsRejectedWithTheKey(String name, String key, String value, String message) {
    Node node = node(Map.of(key, text(value == null ? "" : value)));

    assertThatThrownBy(() -> Workload.of(node)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void portsMustBeNumbersInRange() {
    Node node = node(Map.of(Workload.SERVICE, text("web"), Workload.ADDRESS, text("10.0.0.1"),
        Workload.INBOUND_PORTS, Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("http", Value.newBuilder().setNumberValue(70000).build())).build()));

    assertThatThrownBy(() -> Workload.of(node))
        .hasMessage("node n metadata outrigger.inbound_ports.http: expected a port number 1-65535");
  }

  @Test
  void listenerPortsDefaultToIstiosAndMayBeDeclared() {
    assertThat(Workload.of(node(Map.of())).ports()).isEqualTo(new Workload.ListenerPorts(15001, 15006));
    Workload declared = Workload.of(node(Map.of(Workload.OUTBOUND_PORT, Value.newBuilder().setNumberValue(25001).build(),
        Workload.INBOUND_PORT, Value.newBuilder().setNumberValue(25006).build())));

    assertThat(declared.ports()).isEqualTo(new Workload.ListenerPorts(25001, 25006));
    assertThatThrownBy(() -> Workload.of(node(Map.of(Workload.INBOUND_PORT, text("15006")))))
        .hasMessage("node n metadata outrigger.inbound_port: expected a port number 1-65535");
  }

  private static Node node(Map<String, Value> metadata) {
    return Node.newBuilder().setId("n").setMetadata(Struct.newBuilder().putAllFields(metadata)).build();
  }

  private static Value text(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}
