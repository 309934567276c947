package dev.outrigger.controlplane.cli;

import dev.outrigger.api.admin.v1.Proxy;
import dev.outrigger.api.admin.v1.ProxyDescription;
import dev.outrigger.api.admin.v1.PushedResource;
import dev.outrigger.api.admin.v1.TypeState;
import dev.outrigger.api.admin.v1.Workload;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ctl describe proxy NODE_ID}: one proxy, its xDS versions per type and the resources it holds. */
@Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Shows one proxy: its node, workload and identity, per resource type the version"
        + " last sent and last ACKed and the last NACK, and every resource the control plane holds"
        + " for it (type, name, version).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:shown", "1:invalid command line, or no such proxy is connected",
        "3:the control plane failed the request", "4:the control plane is unreachable"})
final class DescribeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(index = "0", paramLabel = "KIND", description = "proxy (the only kind described so far).")
  private String kind;

  @Parameters(index = "1", paramLabel = "NAME", description = "The proxy's node id, as get proxies shows it.")
  private String name;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml.")
  private String output;

  @Override
  public Integer call() {
    if (!kind.equals("proxy")) {
      throw new IllegalArgumentException("describe " + kind + ": only proxy can be described");
    }
    Output format = output == null ? Output.TABLE : Output.parse(output);
    ProxyDescription description = server.client()
        .get("/v1/proxies/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"),
            ProxyDescription.newBuilder()).build();
    PrintWriter out = spec.commandLine().getOut();
    if (format == Output.JSON) {
      Output.json(out, description);
    } else if (format == Output.YAML) {
      Output.yaml(out, description);
    } else {
      text(out, description);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void text(PrintWriter out, ProxyDescription description) {
    Proxy proxy = description.getProxy();
    out.println("Node:       " + proxy.getNodeId());
    out.println("Cluster:    " + GetCommand.dash(proxy.getCluster()));
    out.println("Workload:   " + (proxy.hasWorkload() ? workload(proxy.getWorkload()) : "-"));
    out.println("Identity:   " + GetCommand.dash(proxy.getIdentity()));
    out.println("Protocol:   " + proxy.getProtocol());
    out.println("Connected:  " + Timestamps.text(proxy.getConnectedSince()));
    out.println("Status:     " + GetCommand.status(proxy));
    out.println();
    Table types = new Table("TYPE", "SENT", "ACKED", "SENT AT", "LAST NACK");
    for (TypeState type : proxy.getTypesList()) {
      types.row(type.getType(), GetCommand.dash(type.getSentVersion()), GetCommand.dash(type.getAckedVersion()),
          Timestamps.text(type.getSentAt()), type.hasLastNack()
              ? type.getLastNack().getVersion() + " at " + Timestamps.text(type.getLastNack().getAt()) + ": "
                  + type.getLastNack().getMessage()
              : "-");
    }
    types.print(out);
    out.println();
    Table resources = new Table("RESOURCE", "NAME", "VERSION");
    for (PushedResource resource : description.getResourcesList()) {
      resources.row(resource.getType(), resource.getName(), resource.getVersion());
    }
    resources.print(out);
  }

  private static String workload(Workload workload) {
    String ports = workload.getInboundPortsMap().entrySet().stream()
        .map(port -> port.getKey() + "=" + port.getValue()).sorted().collect(Collectors.joining(","));
    return workload.getNamespace() + "/" + workload.getService() + " at " + workload.getAddress()
        + (workload.getServiceAccount().isEmpty() ? "" : ", service account " + workload.getServiceAccount())
        + (ports.isEmpty() ? "" : ", app ports " + ports);
  }
}
