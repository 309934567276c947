package dev.outrigger.controlplane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outrigger.api.admin.v1.Document;
import dev.outrigger.api.admin.v1.ResourceResult;
import dev.outrigger.api.admin.v1.ResourceResult.Outcome;
import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.ModelValidator;
import dev.outrigger.controlplane.model.ModelValidator.FileResources;
import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.Resource;
import dev.outrigger.controlplane.model.ResourceId;
import dev.outrigger.controlplane.model.file.ConfigDirectory;
import dev.outrigger.controlplane.model.file.ConfigReconciler.Accepted;
import dev.outrigger.controlplane.model.file.ConfigReconciler;
import dev.outrigger.controlplane.model.file.ParsedFile;
import dev.outrigger.controlplane.model.file.ResourceParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Apply and delete in standalone mode, where the config directory is the model's source of truth.
 * An applied resource is one file, {@code <config-dir>/applied/<namespace>/<kind>-<name>.yaml},
 * so it survives a restart and the directory stays the whole truth. A request is checked as a
 * whole against the whole resulting model before anything is written, and rejected with every
 * problem if anything is wrong; then the files are written and the directory reconciled at once.
 * Resources defined in the operator's own files are not touched: applying or deleting one is
 * rejected, naming the file to edit instead. One request at a time.
 */
final class ModelEditor {
  static final String APPLIED = "applied";
  private static final String HEADER =
      "# Written by the control plane's admin API (outrigger ctl apply); remove with ctl delete.\n";

  private final ConfigDirectory directory;
  private final ResourceParser parser = new ResourceParser();

  ModelEditor(ConfigDirectory directory) {
    this.directory = directory;
  }

  /** What a request did, or would do, or every reason it was rejected (then nothing was done). */
  record Result(List<ResourceResult> results, List<Problem> problems) {
    static Result rejected(List<Problem> problems) {
      return new Result(List.of(), problems);
    }
  }

  /** One resource of an apply request, with the file it goes into and the content it gets. */
  private record Candidate(Resource resource, String source, String file, String content) {}

  synchronized Result apply(List<Document> documents, boolean dryRun) throws IOException {
    List<Problem> problems = new ArrayList<>();
    List<Candidate> candidates = candidates(documents, problems);
    Map<String, Accepted> accepted = directory.accepted();
    problems.addAll(ownership(candidates, origins(accepted)));
    if (!problems.isEmpty()) {
      return Result.rejected(problems);
    }
    Map<String, Candidate> byFile = new LinkedHashMap<>();
    candidates.forEach(candidate -> byFile.put(candidate.file(), candidate));
    List<FileResources> resulting = new ArrayList<>();
    accepted.forEach((file, a) -> {
      if (!byFile.containsKey(file)) {
        resulting.add(new FileResources(file, a.parsed().resources()));
      }
    });
    candidates.forEach(c -> resulting.add(new FileResources(c.source(), List.of(c.resource()))));
    List<Problem> invalid = ModelValidator.validate(resulting);
    if (!invalid.isEmpty()) {
      return Result.rejected(invalid);
    }
    Result result = new Result(outcomes(candidates, directory.model()), List.of());
    if (dryRun) {
      return result;
    }
    for (Candidate candidate : candidates) {
      write(Path.of(candidate.file()), candidate.content());
    }
    return reconciled(result, byFile.keySet());
  }

  /** Each resource once per request, and only ones that apply owns (or new ones). */
  private List<Problem> ownership(List<Candidate> candidates, Map<ResourceId, String> origins) {
    List<Problem> problems = new ArrayList<>();
    Map<ResourceId, String> requested = new HashMap<>();
    for (Candidate candidate : candidates) {
      ResourceId id = candidate.resource().id();
      String earlier = requested.putIfAbsent(id, candidate.source());
      if (earlier != null) {
        problems.add(problem(candidate.source(), id, "given twice in this request (also in " + earlier + ")"));
      }
      String origin = origins.get(id);
      if (origin != null && !origin.equals(candidate.file())) {
        problems.add(problem(candidate.source(), id, notManaged(origin)));
      }
    }
    return problems;
  }

  private static List<ResourceResult> outcomes(List<Candidate> candidates, MeshModel before) {
    List<ResourceResult> results = new ArrayList<>();
    for (Candidate candidate : candidates) {
      Optional<Resource> old = before.get(candidate.resource().id());
      Outcome outcome = old.isEmpty() ? Outcome.CREATED
          : old.get().equals(candidate.resource()) ? Outcome.UNCHANGED : Outcome.CHANGED;
      results.add(result(candidate.resource().id(), outcome, candidate.file()));
    }
    return results;
  }

  synchronized Result delete(List<ResourceId> ids, boolean dryRun) throws IOException {
    Map<String, Accepted> accepted = directory.accepted();
    Map<ResourceId, String> origins = origins(accepted);
    List<Problem> problems = new ArrayList<>();
    List<ResourceResult> results = new ArrayList<>();
    Map<String, ResourceId> removed = new LinkedHashMap<>();
    for (ResourceId id : ids) {
      String origin = origins.get(id);
      if (origin == null) {
        results.add(result(id, Outcome.NOT_FOUND, ""));
      } else if (!origin.equals(fileOf(id))) {
        problems.add(problem("request", id, notManaged(origin)));
      } else {
        removed.put(origin, id);
        results.add(result(id, Outcome.DELETED, origin));
      }
    }
    if (!problems.isEmpty()) {
      return Result.rejected(problems);
    }
    List<FileResources> resulting = new ArrayList<>();
    accepted.forEach((file, a) -> {
      if (!removed.containsKey(file)) {
        resulting.add(new FileResources(file, a.parsed().resources()));
      }
    });
    List<Problem> invalid = ModelValidator.validate(resulting).stream()
        .map(p -> new Problem(p.file(), p.resource(), p.path(), p.message() + " (after the deletion)"))
        .toList();
    if (!invalid.isEmpty()) {
      return Result.rejected(invalid);
    }
    if (dryRun || removed.isEmpty()) {
      return new Result(results, List.of());
    }
    for (String file : removed.keySet()) {
      Files.deleteIfExists(Path.of(file));
    }
    return reconciled(new Result(results, List.of()), removed.keySet());
  }

  /**
   * Reconciles the directory now. The change was valid a moment ago, so it is taken, unless an
   * operator's edit raced in; then the reconciler's problems with the files written are reported
   * (not those of an operator's broken file, which are the watcher's to report).
   */
  private Result reconciled(Result result, Set<String> written) throws IOException {
    ConfigReconciler.Outcome outcome = directory.load();
    List<Problem> ours = outcome.problems().stream().filter(p -> written.contains(p.file())).toList();
    return ours.isEmpty() ? result : new Result(result.results(), ours);
  }

  /** Parses each document on its own terms (problems name its source and document number). */
  private List<Candidate> candidates(List<Document> documents, List<Problem> problems) {
    List<Candidate> candidates = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      Document document = documents.get(d);
      String source = document.getSource().isEmpty() ? "request[" + d + "]" : document.getSource();
      String text = document.hasObject()
          ? Manifests.yaml(Structs.tree(document.getObject())) : document.getText();
      ParsedFile parsed = parser.parse(source, text);
      problems.addAll(parsed.problems());
      if (!parsed.valid()) {
        continue;
      }
      List<JsonNode> nodes;
      try {
        nodes = Manifests.documents(text);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("parsed a moment ago", e);
      }
      for (int r = 0; r < parsed.resources().size(); r++) {
        Resource resource = parsed.resources().get(r);
        candidates.add(new Candidate(resource, source, fileOf(resource.id()),
            HEADER + Manifests.yaml(nodes.get(r))));
      }
    }
    if (candidates.isEmpty() && problems.isEmpty()) {
      problems.add(new Problem("request", "", "", "no resources in the request"));
    }
    return candidates;
  }

  /** Where Apply keeps {@code id}: one file per resource, named so that ids never collide. */
  private String fileOf(ResourceId id) {
    Path dir = directory.root().resolve(APPLIED);
    if (!id.namespace().isEmpty()) {
      dir = dir.resolve(id.namespace());
    }
    return dir.resolve(id.kind().yamlName().toLowerCase(Locale.ROOT) + "-" + id.name() + ".yaml")
        .toString();
  }

  /** The file each resource of the model comes from. */
  static Map<ResourceId, String> origins(Map<String, Accepted> accepted) {
    Map<ResourceId, String> origins = new HashMap<>();
    accepted.forEach((file, a) -> a.parsed().resources().forEach(r -> origins.putIfAbsent(r.id(), file)));
    return origins;
  }

  private String notManaged(String origin) {
    return "defined in " + origin + ", which the admin API does not manage (it writes only under "
        + directory.root().resolve(APPLIED) + "): edit that file instead";
  }

  /** Written beside the target under a dot-name (which the watcher skips), then moved over it. */
  private static void write(Path file, String content) throws IOException {
    if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Problem problem(String source, ResourceId id, String message) {
    return new Problem(source, id.toString(), "", message);
  }

  private static ResourceResult result(ResourceId id, Outcome outcome, String file) {
    return ResourceResult.newBuilder().setRef(ResourceKinds.ref(id)).setOutcome(outcome)
        .setFile(Objects.requireNonNull(file)).build();
  }
}
