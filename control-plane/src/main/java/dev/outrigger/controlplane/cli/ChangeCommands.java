package dev.outrigger.controlplane.cli;

import dev.outrigger.api.admin.v1.ApplyRequest;
import dev.outrigger.api.admin.v1.ApplyResponse;
import dev.outrigger.api.admin.v1.DeleteRequest;
import dev.outrigger.api.admin.v1.DeleteResponse;
import dev.outrigger.api.admin.v1.Document;
import dev.outrigger.api.admin.v1.Problem;
import dev.outrigger.api.admin.v1.ResourceRef;
import dev.outrigger.api.admin.v1.ResourceResult;
import dev.outrigger.controlplane.model.file.ConfigFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ctl apply -f} and {@code ctl delete -f}: resource files sent to the admin API as one request. */
final class ChangeCommands {
  private ChangeCommands() {}

  /** What both commands share: the files, the dry run, the server, and how a result is shown. */
  abstract static class Change implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOption server;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
        description = "A YAML or JSON file, a directory read recursively (*.yaml, *.yml, *.json), or -"
            + " for standard input; repeatable. All of them are one request.")
    List<String> paths;

    @Option(names = "--dry-run", description = "Validate and show what would change; change nothing.")
    boolean dryRun;

    private final Supplier<InputStream> stdin;

    Change(Supplier<InputStream> stdin) {
      this.stdin = stdin;
    }

    List<Document> documents() throws IOException {
      List<Document> documents = new ArrayList<>();
      for (String path : paths) {
        if (path.equals("-")) {
          documents.add(Document.newBuilder().setSource("<stdin>")
              .setText(new String(stdin.get().readAllBytes(), StandardCharsets.UTF_8)).build());
          continue;
        }
        Map<String, String> files;
        try {
          files = ConfigFiles.read(Path.of(path));
        } catch (IOException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (files.isEmpty()) {
          throw new IllegalArgumentException("no resource files (*.yaml, *.yml, *.json) in " + path);
        }
        files.forEach((file, text) -> documents.add(Document.newBuilder().setSource(file).setText(text).build()));
      }
      return documents;
    }

    /** Each result on standard output, each problem on standard error; 1 if there was any problem. */
    int report(List<ResourceResult> results, List<Problem> problems) {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String suffix = dryRun ? " (dry run)" : "";
      for (ResourceResult result : results) {
        ResourceRef ref = result.getRef();
        out.println(ref.getKind() + " " + (ref.getNamespace().isEmpty() ? "" : ref.getNamespace() + "/")
            + ref.getName() + " " + result.getOutcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + suffix);
      }
      for (Problem problem : problems) {
        err.println(new dev.outrigger.controlplane.model.Problem(problem.getFile(), problem.getResource(),
            problem.getPath(), problem.getMessage()));
      }
      if (!problems.isEmpty() && results.isEmpty()) {
        err.println("outrigger: rejected, nothing changed");
      }
      out.flush();
      err.flush();
      return problems.isEmpty() ? ExitCodes.OK : ExitCodes.INVALID;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Creates or replaces mesh resources through the admin API. The whole request is"
          + " validated against the whole resulting model first: any problem rejects all of it, and"
          + " each problem is printed (file, resource, field path). Applied resources are kept in the"
          + " control plane's <config-dir>/applied/. See docs/control-plane.md.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:applied (or, with --dry-run, valid)",
          "1:rejected (each problem on standard error; nothing changed) or invalid command line",
          "2:refused: the control plane is read-only (no --config-dir) or the caller is not on loopback",
          "3:the control plane failed the request", "4:the control plane is unreachable"})
  static final class Apply extends Change {
    Apply(Supplier<InputStream> stdin) {
      super(stdin);
    }

    @Override
    public Integer call() throws IOException {
      ApplyRequest request = ApplyRequest.newBuilder().addAllDocuments(documents()).setDryRun(dryRun).build();
      ApplyResponse response = server.client().post("/v1/apply", request, ApplyResponse.newBuilder()).build();
      return report(response.getResultsList(), response.getProblemsList());
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Deletes the resources named in the files (their kind and metadata; the spec is"
          + " ignored). Only resources created by apply can be deleted; a deletion that would leave a"
          + " reference dangling is rejected whole. A resource that does not exist is reported as"
          + " not found, which is not an error.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:deleted (or not there)",
          "1:rejected (each problem on standard error; nothing changed) or invalid command line",
          "2:refused: the control plane is read-only (no --config-dir) or the caller is not on loopback",
          "3:the control plane failed the request", "4:the control plane is unreachable"})
  static final class Delete extends Change {
    Delete(Supplier<InputStream> stdin) {
      super(stdin);
    }

    @Override
    public Integer call() throws IOException {
      DeleteRequest request = DeleteRequest.newBuilder().addAllDocuments(documents()).setDryRun(dryRun).build();
      DeleteResponse response = server.client().post("/v1/delete", request, DeleteResponse.newBuilder()).build();
      return report(response.getResultsList(), response.getProblemsList());
    }
  }
}
