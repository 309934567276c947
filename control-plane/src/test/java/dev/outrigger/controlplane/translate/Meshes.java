package dev.outrigger.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.file.ConfigFiles;
import dev.outrigger.controlplane.model.file.ConfigReconciler;
import dev.outrigger.controlplane.xds.Resource;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Models from YAML (inline or docs/examples/mesh), sidecar nodes, and unpacking resources. */
final class Meshes {
  static final Path EXAMPLES = Path.of("..", "docs", "examples", "mesh");

  private Meshes() {}

  static MeshModel model(String yaml) {
    return model(Map.of("mesh.yaml", yaml));
  }

  static MeshModel example() {
    return model(exampleFiles());
  }

  /** The example mesh without its AuthorizationPolicies (policies.yaml). */
  static MeshModel exampleWithoutPolicies() {
    Map<String, String> files = new java.util.TreeMap<>(exampleFiles());
    assertThat(files.remove(EXAMPLES.resolve("policies.yaml").toString())).isNotNull();
    return model(files);
  }

  private static Map<String, String> exampleFiles() {
    try {
      return ConfigFiles.read(EXAMPLES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MeshModel model(Map<String, String> files) {
    ConfigReconciler.Outcome outcome = new ConfigReconciler().reconcile(files);
    assertThat(outcome.problems()).isEmpty();
    return outcome.model();
  }

  /** A sidecar of {@code namespace/service} at {@code address}, as its bootstrap declares it. */
  static Node sidecar(String id, String namespace, String service, String serviceAccount, String address,
      Map<String, Integer> appPorts) {
    return sidecar(id, namespace, service, serviceAccount, address, appPorts, Map.of());
  }

  /** As above, with the local ports of TCP upstreams by {@code <service>.<namespace>:<port>}. */
  static Node sidecar(String id, String namespace, String service, String serviceAccount, String address,
      Map<String, Integer> appPorts, Map<String, Integer> tcpUpstreams) {
    Struct.Builder metadata = Struct.newBuilder()
        .putFields(Workload.SERVICE, string(service))
        .putFields(Workload.NAMESPACE, string(namespace))
        .putFields(Workload.ADDRESS, string(address))
        .putFields(Workload.INBOUND_PORTS, ports(appPorts));
    if (!tcpUpstreams.isEmpty()) {
      metadata.putFields(Workload.TCP_UPSTREAMS, ports(tcpUpstreams));
    }
    if (serviceAccount != null) {
      metadata.putFields(Workload.SERVICE_ACCOUNT, string(serviceAccount));
    }
    return Node.newBuilder().setId(id).setMetadata(metadata).build();
  }

  static Workload workload(String id, String namespace, String service, String serviceAccount, String address) {
    return Workload.of(sidecar(id, namespace, service, serviceAccount, address, Map.of()));
  }

  static <T extends com.google.protobuf.Message> T unpack(Resources resources, ResourceType type, String name,
      Class<T> as) {
    Resource resource = resources.of(type).get(name);
    assertThat(resource).as(type + " " + name + " in " + resources).isNotNull();
    try {
      return resource.body().unpack(as);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static Value ports(Map<String, Integer> ports) {
    Struct.Builder struct = Struct.newBuilder();
    ports.forEach((name, port) -> struct.putFields(name, Value.newBuilder().setNumberValue(port).build()));
    return Value.newBuilder().setStructValue(struct).build();
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}
