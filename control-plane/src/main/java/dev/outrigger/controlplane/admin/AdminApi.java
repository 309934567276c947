package dev.outrigger.controlplane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outrigger.api.admin.v1.ApplyRequest;
import dev.outrigger.api.admin.v1.ApplyResponse;
import dev.outrigger.api.admin.v1.DeleteRequest;
import dev.outrigger.api.admin.v1.DeleteResponse;
import dev.outrigger.api.admin.v1.DescribeProxyRequest;
import dev.outrigger.api.admin.v1.Document;
import dev.outrigger.api.admin.v1.GetResourceRequest;
import dev.outrigger.api.admin.v1.ListProxiesResponse;
import dev.outrigger.api.admin.v1.ListResourcesRequest;
import dev.outrigger.api.admin.v1.ListResourcesResponse;
import dev.outrigger.api.admin.v1.MeshResource;
import dev.outrigger.api.admin.v1.ProxyDescription;
import dev.outrigger.api.admin.v1.ResourceRef;
import dev.outrigger.controlplane.events.CloudEvent;
import dev.outrigger.controlplane.events.Emitter;
import dev.outrigger.controlplane.events.EventFeed;
import dev.outrigger.controlplane.events.EventPublisher;
import dev.outrigger.controlplane.model.Kind;
import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.Resource;
import dev.outrigger.controlplane.model.ResourceId;
import dev.outrigger.controlplane.model.file.ConfigDirectory;
import dev.outrigger.controlplane.model.file.ConfigReconciler.Accepted;
import dev.outrigger.controlplane.xds.XdsServer;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The admin API's operations, one method per RPC, the same for gRPC ({@link AdminGrpcService})
 * and JSON over HTTP ({@link AdminHttpServer}). Failures are gRPC {@link Status} exceptions, which
 * the HTTP side maps to status codes.
 *
 * <p>Who may change the model: only a caller on a loopback address, whatever the transport. TLS
 * on the xDS port authenticates the control plane to its callers, not the callers to it, so it
 * grants nothing more; reads are open to whoever reaches a port.
 */
public final class AdminApi {
  private final ConfigDirectory directory;
  private final ModelEditor editor;
  private final ProxyViews proxies;
  private final EventFeed events;

  /**
   * @param directory the standalone model's config directory, null when the control plane runs
   *     without one (then there are no resources and Apply and Delete fail)
   * @param events the event log, null when the control plane keeps none
   */
  public AdminApi(ConfigDirectory directory, XdsServer xds, String trustDomain, EventFeed events) {
    this.directory = directory;
    this.editor = directory == null ? null : new ModelEditor(directory);
    this.proxies = new ProxyViews(xds, trustDomain);
    this.events = events;
  }

  /** PERMISSION_DENIED unless {@code caller} is on a loopback address. */
  private static void requireLocal(SocketAddress caller, String operation) {
    if (!(caller instanceof InetSocketAddress)
        || !((InetSocketAddress) caller).getAddress().isLoopbackAddress()) {
      throw Status.PERMISSION_DENIED.withDescription(operation
          + " is accepted only from a loopback address (the caller is " + caller + ")").asRuntimeException();
    }
  }

  /**
   * Publishes an event that {@code ctl} made in its own process (a root rotation step changes the
   * state directory there), so it reaches the feed and the sinks like the server's own. Only from
   * loopback, and only events of ctl's source: the server's own events are not for callers to forge.
   */
  void publish(CloudEvent event, SocketAddress caller) {
    requireLocal(caller, "publishing an event");
    if (!event.source().equals(Emitter.CTL)) {
      throw Status.INVALID_ARGUMENT.withDescription("only events of source " + Emitter.CTL
          + " are accepted, not " + event.source()).asRuntimeException();
    }
    if (!(events instanceof EventPublisher)) {
      throw Status.UNAVAILABLE.withDescription("this control plane keeps no event log").asRuntimeException();
    }
    ((EventPublisher) events).publish(event);
  }

  ApplyResponse apply(ApplyRequest request, SocketAddress caller) {
    requireLocal(caller, "apply");
    ModelEditor.Result result = run(() -> writable("apply").apply(request.getDocumentsList(), request.getDryRun()));
    return ApplyResponse.newBuilder().addAllResults(result.results())
        .addAllProblems(problems(result.problems())).setDryRun(request.getDryRun()).build();
  }

  DeleteResponse delete(DeleteRequest request, SocketAddress caller) {
    requireLocal(caller, "delete");
    ModelEditor editor = writable("delete");
    List<Problem> problems = new ArrayList<>();
    List<ResourceId> ids = new ArrayList<>();
    for (int d = 0; d < request.getDocumentsCount(); d++) {
      identify(request.getDocuments(d), d, ids, problems);
    }
    request.getRefsList().forEach(ref -> ids.add(ResourceKinds.id(ref)));
    ModelEditor.Result result = problems.isEmpty()
        ? run(() -> editor.delete(ids, request.getDryRun())) : ModelEditor.Result.rejected(problems);
    return DeleteResponse.newBuilder().addAllResults(result.results())
        .addAllProblems(problems(result.problems())).setDryRun(request.getDryRun()).build();
  }

  ListResourcesResponse listResources(ListResourcesRequest request) {
    Set<Kind> kinds = ResourceKinds.group(request.getKind());
    ListResourcesResponse.Builder response = ListResourcesResponse.newBuilder();
    if (directory == null) {
      return response.build();
    }
    Map<String, Accepted> accepted = directory.accepted();
    Map<ResourceId, String> origins = ModelEditor.origins(accepted);
    for (Resource resource : directory.model().resources()) {
      ResourceId id = resource.id();
      if (kinds.contains(id.kind())
          && (request.getNamespace().isEmpty() || request.getNamespace().equals(id.namespace()))) {
        response.addResources(view(id, origins.get(id), accepted));
      }
    }
    return response.build();
  }

  MeshResource getResource(GetResourceRequest request) {
    ResourceRef ref = request.getRef();
    ResourceId id = ResourceKinds.id(ref);
    return listResources(ListResourcesRequest.newBuilder().setKind(id.kind().yamlName())
            .setNamespace(id.namespace()).build())
        .getResourcesList().stream().filter(r -> r.getRef().getName().equals(id.name())).findFirst()
        .orElseThrow(() -> Status.NOT_FOUND.withDescription(id + " is not in the model").asRuntimeException());
  }

  ListProxiesResponse listProxies() {
    ListProxiesResponse.Builder response = ListProxiesResponse.newBuilder();
    proxies.all().forEach(response::addProxies);
    return response.build();
  }

  ProxyDescription describeProxy(DescribeProxyRequest request) {
    return proxies.describe(request.getNodeId()).orElseThrow(() -> Status.NOT_FOUND
        .withDescription("no proxy with node id " + request.getNodeId() + " is connected").asRuntimeException());
  }

  /** The event log; UNAVAILABLE when the control plane keeps none. */
  EventFeed events() {
    if (events == null) {
      throw Status.UNAVAILABLE.withDescription("this control plane keeps no event log").asRuntimeException();
    }
    return events;
  }

  private ModelEditor writable(String operation) {
    if (editor == null) {
      throw Status.FAILED_PRECONDITION.withDescription("the admin API is read-only: " + operation
          + " needs a control plane started with --config-dir (its model's source of truth)")
          .asRuntimeException();
    }
    return editor;
  }

  private static MeshResource view(ResourceId id, String file, Map<String, Accepted> accepted) {
    MeshResource.Builder view = MeshResource.newBuilder().setRef(ResourceKinds.ref(id)).setFile(file);
    Optional.ofNullable(accepted.get(file))
        .flatMap(a -> Manifests.find(a.content(), id))
        .ifPresent(document -> view.setManifest(Structs.struct(document)));
    return view.build();
  }

  /** The resource a delete request's document names; only its kind and metadata are read. */
  private static void identify(Document document, int index, List<ResourceId> ids, List<Problem> problems) {
    String source = document.getSource().isEmpty() ? "request[" + index + "]" : document.getSource();
    List<JsonNode> nodes;
    try {
      nodes = document.hasObject() ? List.of(Structs.tree(document.getObject()))
          : Manifests.documents(document.getText());
    } catch (JsonProcessingException e) {
      problems.add(new Problem(source, "", "", "invalid YAML: " + e.getOriginalMessage()));
      return;
    }
    for (int n = 0; n < nodes.size(); n++) {
      Optional<ResourceId> id = Manifests.idOf(nodes.get(n));
      if (id.isPresent()) {
        ids.add(id.get());
      } else {
        problems.add(new Problem(source, "document " + (n + 1), "",
            "names no resource: needs a known kind and metadata.name"));
      }
    }
  }

  private static List<dev.outrigger.api.admin.v1.Problem> problems(List<Problem> problems) {
    return problems.stream().map(p -> dev.outrigger.api.admin.v1.Problem.newBuilder().setFile(p.file())
        .setResource(p.resource()).setPath(p.path()).setMessage(p.message()).build()).toList();
  }

  private interface Edit {
    ModelEditor.Result run() throws IOException;
  }

  /** An edit whose files cannot be written is INTERNAL: the request was fine, the disk was not. */
  private static ModelEditor.Result run(Edit edit) {
    try {
      return edit.run();
    } catch (IOException | UncheckedIOException e) {
      throw Status.INTERNAL.withDescription("cannot write the config directory: " + e.getMessage())
          .withCause(e).asRuntimeException();
    }
  }
}
