package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.Metadata;
import dev.outrigger.controlplane.model.Service;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code spec} of a Service: ports (unique by name and number) and static endpoints. */
final class ServiceReader {
  private ServiceReader() {}

  static Service read(Metadata metadata, Fields spec) {
    Set<String> names = new HashSet<>();
    Set<Integer> numbers = new HashSet<>();
    List<Service.Port> ports = spec.list("ports", port -> {
      String name = Syntax.label(port, "name", port.requiredString("name"));
      int number = port.requiredInteger("port", 1, 65535);
      Service.Protocol protocol = port.requiredEnumeration("protocol", Service.Protocol.class,
          p -> p.name().toLowerCase(Locale.ROOT));
      if (!name.isEmpty() && !names.add(name)) {
        port.problem("name", "duplicate port name " + name);
      }
      if (!numbers.add(number)) {
        port.problem("port", "duplicate port " + number);
      }
      return new Service.Port(name, number, protocol);
    });
    if (ports.isEmpty() && !spec.has("ports")) {
      spec.problem("ports", "required: at least one port");
    }
    List<Service.Endpoint> endpoints = spec.list("endpoints", endpoint -> {
      String address = endpoint.requiredString("address");
      Map<String, Integer> endpointPorts = new LinkedHashMap<>();
      endpoint.object("ports", portMap -> {
        for (String name : portMap.keys()) {
          portMap.integer(name, 1, 65535).ifPresent(number -> endpointPorts.put(name, number));
          if (!names.contains(name)) {
            portMap.problem(name, "the service has no port named " + name);
          }
        }
        return null;
      });
      return new Service.Endpoint(address, endpointPorts);
    });
    return new Service(metadata, ports, endpoints);
  }
}
