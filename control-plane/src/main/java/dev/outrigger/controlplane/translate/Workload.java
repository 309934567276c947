package dev.outrigger.controlplane.translate;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outrigger.controlplane.model.ServiceKey;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The proxy an xDS stream belongs to, from its node: the node id and, for a sidecar, the workload
 * it fronts as its bootstrap's {@code node.metadata} declares it. A node without
 * {@value #SERVICE} (a gateway, a proxyless gRPC client) has no workload: it only calls out.
 *
 * <p>Metadata keys (strings unless said): {@value #SERVICE}, {@value #NAMESPACE} (default
 * {@code default}), {@value #SERVICE_ACCOUNT} (optional), {@value #ADDRESS} (the IP peers reach
 * its inbound listener on), {@value #INBOUND_PORTS} (a struct: service port name to the port the
 * application listens on locally; a port not listed: the service port's number), {@value
 * #TCP_UPSTREAMS} (a struct: {@code <service>.<namespace>:<port>} of a {@code tcp} service port to
 * the local port on which the sidecar accepts the application's connections to it; see
 * docs/mesh-model.md, "TCP ports"), {@value #OUTBOUND_PORT} and {@value #INBOUND_PORT} (numbers:
 * where its listeners bind, by default Istio's 15001 and 15006; several sidecars on one host need
 * their own).
 *
 * @param workload the service this sidecar fronts, empty for a node without one
 * @param ports where the node's outbound and inbound listeners bind; peers dial the inbound one
 */
public record Workload(String nodeId, Optional<Identity> workload, ListenerPorts ports) {
  public static final String SERVICE = "outrigger.service";
  public static final String NAMESPACE = "outrigger.namespace";
  public static final String SERVICE_ACCOUNT = "outrigger.service_account";
  public static final String ADDRESS = "outrigger.address";
  public static final String INBOUND_PORTS = "outrigger.inbound_ports";
  public static final String TCP_UPSTREAMS = "outrigger.tcp_upstreams";
  public static final String OUTBOUND_PORT = "outrigger.outbound_port";
  public static final String INBOUND_PORT = "outrigger.inbound_port";

  /** The ports of a sidecar's {@code outbound} and {@code inbound} listeners. */
  public record ListenerPorts(int outbound, int inbound) {
    public static final ListenerPorts DEFAULT = new ListenerPorts(Names.OUTBOUND_PORT, Names.INBOUND_PORT);
  }

  /** A node on the default listener ports. */
  public Workload(String nodeId, Optional<Identity> workload) {
    this(nodeId, workload, ListenerPorts.DEFAULT);
  }

  /**
   * A sidecar's workload: its service, its service account (unknown when not declared), the
   * address peers dial, the application's local ports by service port name, and the local ports
   * of its TCP upstreams by {@code <service>.<namespace>:<port>}.
   */
  public record Identity(ServiceKey service, Optional<String> serviceAccount, String address,
      Map<String, Integer> appPorts, Map<String, Integer> tcpUpstreams) {
    public Identity {
      appPorts = Map.copyOf(appPorts);
      tcpUpstreams = Map.copyOf(tcpUpstreams);
    }
  }

  /** The workload the node declares; a metadata value of the wrong type is an IllegalArgumentException. */
  public static Workload of(Node node) {
    Map<String, Value> metadata = node.getMetadata().getFieldsMap();
    ListenerPorts ports = new ListenerPorts(port(node.getId(), metadata, OUTBOUND_PORT, Names.OUTBOUND_PORT),
        port(node.getId(), metadata, INBOUND_PORT, Names.INBOUND_PORT));
    if (!metadata.containsKey(SERVICE)) {
      return new Workload(node.getId(), Optional.empty(), ports);
    }
    ServiceKey service = new ServiceKey(string(node, NAMESPACE).orElse("default"),
        string(node, SERVICE).orElseThrow());
    String address = string(node, ADDRESS).orElseThrow(
        () -> new IllegalArgumentException("node " + node.getId() + ": " + SERVICE + " without " + ADDRESS));
    return new Workload(node.getId(), Optional.of(new Identity(service,
        string(node, SERVICE_ACCOUNT), address, ports(node.getId(), metadata, INBOUND_PORTS),
        ports(node.getId(), metadata, TCP_UPSTREAMS))), ports);
  }

  private static int port(String nodeId, Map<String, Value> metadata, String key, int fallback) {
    Value value = metadata.get(key);
    return value == null ? fallback : portNumber(nodeId, key, value);
  }

  private static Optional<String> string(Node node, String key) {
    Value value = node.getMetadata().getFieldsMap().get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value.getKindCase() != Value.KindCase.STRING_VALUE || value.getStringValue().isEmpty()) {
      throw new IllegalArgumentException("node " + node.getId() + " metadata " + key + ": expected a non-empty string");
    }
    return Optional.of(value.getStringValue());
  }

  /** A struct of names to port numbers. */
  private static Map<String, Integer> ports(String nodeId, Map<String, Value> metadata, String key) {
    Value value = metadata.get(key);
    if (value == null) {
      return Map.of();
    }
    if (value.getKindCase() != Value.KindCase.STRUCT_VALUE) {
      throw new IllegalArgumentException("node " + nodeId + " metadata " + key
          + ": expected a map of names to port numbers");
    }
    Map<String, Integer> ports = new TreeMap<>();
    Struct struct = value.getStructValue();
    struct.getFieldsMap().forEach((name, number) -> ports.put(name, portNumber(nodeId, key + "." + name, number)));
    return ports;
  }

  private static int portNumber(String nodeId, String key, Value number) {
    double port = number.getNumberValue();
    if (number.getKindCase() != Value.KindCase.NUMBER_VALUE || port != Math.rint(port) || port < 1 || port > 65535) {
      throw new IllegalArgumentException("node " + nodeId + " metadata " + key + ": expected a port number 1-65535");
    }
    return (int) port;
  }
}
