package dev.outrigger.controlplane.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service of the mesh in standalone mode ({@code outrigger.dev/v1alpha1}); in Kubernetes the
 * core Service plays this part. Its host names are {@code <name>}, {@code <name>.<namespace>},
 * {@code <name>.<namespace>.svc} and {@code <name>.<namespace>.svc.cluster.local}.
 *
 * @param ports what the service serves, unique by name and by number
 * @param endpoints static endpoints; more register when sidecars of the service connect
 */
public record Service(Metadata metadata, List<Port> ports, List<Endpoint> endpoints)
    implements Resource {
  public Service {
    ports = List.copyOf(ports);
    endpoints = List.copyOf(endpoints);
  }

  /** The application protocol of a port; decides the listener's codec and the cluster's. */
  public enum Protocol { HTTP, HTTP2, GRPC, TCP }

  /** One port: {@code name} (a DNS label), {@code port} (1-65535), {@code protocol}. */
  public record Port(String name, int port, Protocol protocol) {}

  /**
   * A static endpoint: an IP address or host name, and per service port name the port the
   * endpoint listens on (a port not listed: the service port's number).
   */
  public record Endpoint(String address, Map<String, Integer> ports) {
    public Endpoint {
      ports = Map.copyOf(ports);
    }

    public int portFor(Port servicePort) {
      return ports.getOrDefault(servicePort.name(), servicePort.port());
    }
  }

  public Optional<Port> port(int number) {
    return ports.stream().filter(p -> p.port() == number).findFirst();
  }

  @Override
  public Kind kind() {
    return Kind.SERVICE;
  }
}
