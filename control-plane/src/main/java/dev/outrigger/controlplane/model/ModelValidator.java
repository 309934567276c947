package dev.outrigger.controlplane.model;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks between resources, over a whole candidate model: ids unique across files, at most one
 * MeshConfig, and every reference to a Service (parentRefs, backendRefs, mirrors, policy targets)
 * resolving to one that exists and has the referenced port. Resources are given per file, in
 * priority order: of two definitions of one id the first stands and the later is the error.
 */
public final class ModelValidator {
  /** The resources of one file, as named in problems. */
  public record FileResources(String file, List<Resource> resources) {}

  private static final Set<Service.Protocol> HTTP_PROTOCOLS =
      EnumSet.of(Service.Protocol.HTTP, Service.Protocol.HTTP2, Service.Protocol.GRPC);
  private static final Set<Service.Protocol> GRPC_PROTOCOLS =
      EnumSet.of(Service.Protocol.GRPC, Service.Protocol.HTTP2);

  private final List<Problem> problems = new ArrayList<>();
  private final Map<ResourceId, String> definedIn = new HashMap<>();
  private final Map<ServiceKey, Service> services = new HashMap<>();
  private String rootNamespace = MeshConfig.DEFAULT_ROOT_NAMESPACE;

  private ModelValidator() {}

  /** Every problem between these resources; empty when {@link MeshModel#of} may take them. */
  public static List<Problem> validate(List<FileResources> files) {
    ModelValidator validator = new ModelValidator();
    files.forEach(validator::index);
    files.forEach(validator::checkReferences);
    return List.copyOf(validator.problems);
  }

  private void index(FileResources file) {
    for (Resource resource : file.resources()) {
      ResourceId id = resource.id();
      String first = definedIn.putIfAbsent(id, file.file());
      if (first != null) {
        problem(file.file(), resource, "", "duplicate: already defined in " + first);
        continue;
      }
      if (resource instanceof MeshConfig) {
        Optional<ResourceId> other = definedIn.keySet().stream()
            .filter(known -> known.kind() == Kind.MESH_CONFIG && !known.equals(id)).findFirst();
        if (other.isPresent()) {
          problem(file.file(), resource, "", "only one MeshConfig may exist; " + other.get()
              + " is defined in " + definedIn.get(other.get()));
        } else {
          rootNamespace = ((MeshConfig) resource).rootNamespace();
        }
      } else if (resource instanceof Service) {
        services.put(new ServiceKey(id.namespace(), id.name()), (Service) resource);
      }
    }
  }

  private void checkReferences(FileResources file) {
    for (Resource resource : file.resources()) {
      if (!file.file().equals(definedIn.get(resource.id()))) {
        continue;
      }
      if (resource instanceof HttpRoute) {
        HttpRoute route = (HttpRoute) resource;
        parents(file.file(), route, route.parentRefs(), HTTP_PROTOCOLS);
        for (int r = 0; r < route.rules().size(); r++) {
          HttpRoute.Rule rule = route.rules().get(r);
          String at = "spec.rules[" + r + "]";
          backends(file.file(), route, at, rule.backendRefs(), HTTP_PROTOCOLS);
          mirrors(file.file(), route, at, rule.filters(), HTTP_PROTOCOLS);
        }
      } else if (resource instanceof GrpcRoute) {
        GrpcRoute route = (GrpcRoute) resource;
        parents(file.file(), route, route.parentRefs(), GRPC_PROTOCOLS);
        for (int r = 0; r < route.rules().size(); r++) {
          GrpcRoute.Rule rule = route.rules().get(r);
          String at = "spec.rules[" + r + "]";
          backends(file.file(), route, at, rule.backendRefs(), GRPC_PROTOCOLS);
          mirrors(file.file(), route, at, rule.filters(), GRPC_PROTOCOLS);
        }
      } else if (resource instanceof AuthorizationPolicy) {
        target(file.file(), (AuthorizationPolicy) resource);
      }
    }
  }

  /**
   * The parent must exist, have the port named, and serve a protocol the route can govern on it
   * (or, with no port named, on at least one port), so the translator never meets a route it
   * cannot attach.
   */
  private void parents(String file, Resource route, List<ParentRef> parents,
      Set<Service.Protocol> protocols) {
    String accepted = protocols.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).sorted()
        .collect(Collectors.joining(", "));
    for (int i = 0; i < parents.size(); i++) {
      ParentRef parent = parents.get(i);
      String at = "spec.parentRefs[" + i + "]";
      if (!parent.service().namespace().equals(route.metadata().namespace())) {
        // GAMMA: a route in another namespace than its Service is a consumer route, for callers in
        // the route's namespace only; the translator would apply it to every caller.
        problem(file, route, at + ".namespace", "consumer routes (a route in another namespace than its"
            + " Service) are not supported; put the route in namespace " + parent.service().namespace());
        continue;
      }
      Service service = service(file, route, at, parent.service());
      if (service == null) {
        continue;
      }
      if (parent.port().isPresent()) {
        Optional<Service.Port> port = service.port(parent.port().getAsInt());
        if (port.isEmpty()) {
          problem(file, route, at + ".port", "Service " + parent.service() + " has no port "
              + parent.port().getAsInt());
        } else if (!protocols.contains(port.get().protocol())) {
          problem(file, route, at + ".port", "port " + port.get().port() + " of Service "
              + parent.service() + " is " + port.get().protocol().name().toLowerCase(Locale.ROOT)
              + "; " + route.kind() + " needs " + accepted);
        }
      } else if (service.ports().stream().noneMatch(p -> protocols.contains(p.protocol()))) {
        problem(file, route, at, "Service " + parent.service() + " has no " + accepted
            + " port for " + route.kind());
      }
    }
  }

  private void backends(String file, Resource route, String rule, List<BackendRef> backends,
      Set<Service.Protocol> protocols) {
    for (int i = 0; i < backends.size(); i++) {
      backend(file, route, rule + ".backendRefs[" + i + "]", backends.get(i), protocols);
    }
  }

  private void mirrors(String file, Resource route, String rule, List<RouteFilter> filters,
      Set<Service.Protocol> protocols) {
    for (int i = 0; i < filters.size(); i++) {
      if (filters.get(i) instanceof RouteFilter.RequestMirror) {
        backend(file, route, rule + ".filters[" + i + "].requestMirror.backendRef",
            ((RouteFilter.RequestMirror) filters.get(i)).backend(), protocols);
      }
    }
  }

  /**
   * The backend must exist and have the port, and the port must speak what the route forwards
   * (an HTTPRoute's requests on a tcp port, or a gRPC call on an HTTP/1.1 port, would not work).
   */
  private void backend(String file, Resource route, String at, BackendRef backend,
      Set<Service.Protocol> protocols) {
    Service service = service(file, route, at, backend.service());
    if (service == null) {
      return;
    }
    Optional<Service.Port> port = service.port(backend.port());
    if (port.isEmpty()) {
      problem(file, route, at + ".port", "Service " + backend.service() + " has no port "
          + backend.port());
    } else if (!protocols.contains(port.get().protocol())) {
      problem(file, route, at + ".port", "port " + backend.port() + " of Service " + backend.service()
          + " is " + port.get().protocol().name().toLowerCase(Locale.ROOT) + "; " + route.kind()
          + " backends need " + protocols.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).sorted()
              .collect(Collectors.joining(", ")));
    }
  }

  private void target(String file, AuthorizationPolicy policy) {
    if (policy.target().isEmpty()) {
      return;
    }
    ServiceKey target = policy.target().get();
    String namespace = policy.metadata().namespace();
    if (!target.namespace().equals(namespace) && !namespace.equals(rootNamespace)) {
      problem(file, policy, "spec.targetRef.namespace", "only policies in the root namespace "
          + rootNamespace + " may target another namespace");
      return;
    }
    Service service = service(file, policy, "spec.targetRef", target);
    if (service != null) {
      targetPorts(file, policy, service);
    }
  }

  /** A targeted policy's {@code to.ports} must be ports of its service: anything else never matches. */
  private void targetPorts(String file, AuthorizationPolicy policy, Service service) {
    for (int r = 0; r < policy.rules().size(); r++) {
      List<AuthorizationPolicy.Operation> to = policy.rules().get(r).to();
      for (int o = 0; o < to.size(); o++) {
        List<Integer> ports = to.get(o).ports();
        for (int p = 0; p < ports.size(); p++) {
          if (service.port(ports.get(p)).isEmpty()) {
            problem(file, policy, "spec.rules[" + r + "].to[" + o + "].ports[" + p + "]",
                "Service " + policy.target().orElseThrow() + " has no port " + ports.get(p));
          }
        }
      }
    }
  }

  private Service service(String file, Resource from, String at, ServiceKey key) {
    Service service = services.get(key);
    if (service == null) {
      problem(file, from, at, "Service " + key + " does not exist");
    }
    return service;
  }

  private void problem(String file, Resource resource, String path, String message) {
    problems.add(new Problem(file, resource.id().toString(), path, message));
  }
}
