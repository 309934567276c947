package dev.outrigger.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outrigger.api.admin.v1.ListProxiesResponse;
import dev.outrigger.api.admin.v1.ListResourcesResponse;
import dev.outrigger.api.admin.v1.MeshResource;
import dev.outrigger.api.admin.v1.Proxy;
import dev.outrigger.api.admin.v1.ResourceRef;
import dev.outrigger.api.admin.v1.TypeState;
import dev.outrigger.controlplane.admin.Structs;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ctl get services|routes|policies|meshconfig|proxies [-o yaml|json|wide]}. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Lists the mesh model's resources (services, routes = HTTPRoute and GRPCRoute,"
        + " policies, meshconfig) or the connected proxies with their xDS state. A table by"
        + " default; -o yaml prints resources as they were written (ready for apply -f).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "1:invalid command line (e.g. an unknown kind)",
        "3:the control plane failed the request", "4:the control plane is unreachable"})
final class GetCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(index = "0", paramLabel = "KIND",
      description = "services, routes, httproutes, grpcroutes, policies, meshconfig or proxies.")
  private String kind;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Only resources in this namespace (default: all).")
  private String namespace;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json, yaml or wide.")
  private String output;

  @Override
  public Integer call() {
    Output format = output == null ? Output.TABLE : Output.parse(output);
    PrintWriter out = spec.commandLine().getOut();
    if (kind.equals("proxies") || kind.equals("proxy")) {
      proxies(out, format, server.client().get("/v1/proxies", ListProxiesResponse.newBuilder()).build());
    } else {
      String path = "/v1/resources/" + URLEncoder.encode(kind, StandardCharsets.UTF_8)
          + (namespace == null ? "" : "?namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8));
      resources(out, format, server.client().get(path, ListResourcesResponse.newBuilder()).build());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void resources(PrintWriter out, Output format, ListResourcesResponse response) {
    switch (format) {
      case JSON:
        Output.json(out, response);
        return;
      case YAML:
        response.getResourcesList().forEach(resource -> Output.yaml(out, Structs.tree(resource.getManifest())));
        return;
      default:
        List<String> headers = new ArrayList<>(List.of("KIND", "NAMESPACE", "NAME", "DETAILS"));
        if (format == Output.WIDE) {
          headers.add("FILE");
        }
        Table table = new Table(headers.toArray(String[]::new));
        for (MeshResource resource : response.getResourcesList()) {
          ResourceRef ref = resource.getRef();
          List<String> row = new ArrayList<>(List.of(ref.getKind(), dash(ref.getNamespace()), ref.getName(),
              dash(details(ref.getKind(), Structs.tree(resource.getManifest()).path("spec")))));
          if (format == Output.WIDE) {
            row.add(resource.getFile());
          }
          table.row(row.toArray(String[]::new));
        }
        table.print(out);
    }
  }

  /** The one line an operator wants to see per kind. */
  private static String details(String kind, JsonNode spec) {
    switch (kind) {
      case "Service":
        return "ports " + join(spec.path("ports"),
            port -> port.path("name").asText("") + ":" + port.path("port").asText() + "/"
                + port.path("protocol").asText("http").toLowerCase(Locale.ROOT));
      case "HTTPRoute":
      case "GRPCRoute":
        return "parents " + join(spec.path("parentRefs"), parent -> parent.path("name").asText()
            + (parent.has("port") ? ":" + parent.path("port").asText() : ""))
            + ", " + spec.path("rules").size() + " rules";
      case "AuthorizationPolicy":
        return spec.path("action").asText("ALLOW")
            + (spec.has("targetRef") ? " " + spec.path("targetRef").path("name").asText() : " (namespace)")
            + ", " + spec.path("rules").size() + " rules";
      case "MeshConfig":
        return spec.has("trustDomain") ? "trust domain " + spec.path("trustDomain").asText() : "";
      default:
        return "";
    }
  }

  private static String join(JsonNode array, Function<JsonNode, String> each) {
    return StreamSupport.stream(array.spliterator(), false).map(each).collect(Collectors.joining(","));
  }

  private static void proxies(PrintWriter out, Output format, ListProxiesResponse response) {
    switch (format) {
      case JSON:
        Output.json(out, response);
        return;
      case YAML:
        Output.yaml(out, response);
        return;
      default:
        boolean wide = format == Output.WIDE;
        Table table = wide
            ? new Table("NODE", "SERVICE", "STATUS", "PROTOCOL", "CONNECTED", "IDENTITY", "ADDRESS", "ACKED")
            : new Table("NODE", "SERVICE", "STATUS", "PROTOCOL", "CONNECTED");
        for (Proxy proxy : response.getProxiesList()) {
          String service = proxy.hasWorkload()
              ? proxy.getWorkload().getNamespace() + "/" + proxy.getWorkload().getService() : "-";
          String connected = Timestamps.text(proxy.getConnectedSince());
          if (wide) {
            table.row(proxy.getNodeId(), service, status(proxy), proxy.getProtocol(), connected,
                dash(proxy.getIdentity()), proxy.hasWorkload() ? proxy.getWorkload().getAddress() : "-",
                dash(proxy.getTypesList().stream().map(t -> t.getType() + "=" + dash(t.getAckedVersion()))
                    .collect(Collectors.joining(","))));
          } else {
            table.row(proxy.getNodeId(), service, status(proxy), proxy.getProtocol(), connected);
          }
        }
        table.print(out);
    }
  }

  /** synced, pending (a response not yet answered), or rejected with the types the proxy NACKed last. */
  static String status(Proxy proxy) {
    if (proxy.getInSync()) {
      return "synced";
    }
    String rejected = proxy.getTypesList().stream()
        .filter(t -> t.hasLastNack() && !t.getSentVersion().equals(t.getAckedVersion())
            && t.getLastNack().getVersion().equals(t.getSentVersion()))
        .map(TypeState::getType).collect(Collectors.joining(","));
    return rejected.isEmpty() ? "pending" : "rejected " + rejected;
  }

  static String dash(String text) {
    return text.isEmpty() ? "-" : text;
  }
}
