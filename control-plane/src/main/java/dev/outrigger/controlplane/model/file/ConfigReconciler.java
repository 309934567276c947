package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.ModelValidator;
import dev.outrigger.controlplane.model.ModelValidator.FileResources;
import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.Resource;
import dev.outrigger.controlplane.model.ResourceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Moves the accepted configuration towards what is on disk, one file at a time, as Kubernetes
 * applies one object at a time: a file whose new content is valid and keeps the whole model valid
 * is applied; any other file keeps its last accepted content (or stays absent) and is reported.
 * A deletion that would leave references dangling is refused the same way. Files that depend on
 * each other (a route and the Service it names) are applied together whatever their order. Not
 * thread-safe: one caller (the watcher's thread) at a time.
 */
public final class ConfigReconciler {
  private final ResourceParser parser = new ResourceParser();
  /** File → its accepted content and resources. */
  private Map<String, Accepted> accepted = Map.of();
  private MeshModel model = MeshModel.empty();

  /** A file as accepted: its content and the resources it defines in the model. */
  public record Accepted(String content, ParsedFile parsed) {}

  /** The result of one reconciliation: the model now serving and what happened on the way. */
  public record Outcome(MeshModel model, boolean modelChanged, List<Problem> problems,
      List<ResourceEvent> events) {
    public Outcome {
      problems = List.copyOf(problems);
      events = List.copyOf(events);
    }
  }

  public MeshModel model() {
    return model;
  }

  /** Every accepted file by name: the source of each resource in {@link #model()}. */
  public Map<String, Accepted> accepted() {
    return accepted;
  }

  /** Applies what it can of {@code files} (relative path → content, the whole directory). */
  public Outcome reconcile(Map<String, String> files) {
    Map<String, ParsedFile> parsedNow = new TreeMap<>();
    Map<String, ParsedFile> pending = new TreeMap<>();   // valid new content; null: deleted
    Map<String, List<Problem>> rejected = new TreeMap<>();
    for (String file : union(files.keySet(), accepted.keySet())) {
      String content = files.get(file);
      Accepted old = accepted.get(file);
      if (old != null && old.content().equals(content)) {
        continue;
      }
      ParsedFile parsed = content == null ? null : parser.parse(file, content);
      if (parsed == null) {
        pending.put(file, null);
      } else {
        parsedNow.put(file, parsed);
        if (parsed.valid()) {
          pending.put(file, parsed);
        } else {
          rejected.put(file, parsed.problems());
        }
      }
    }
    Map<String, Accepted> all = new TreeMap<>(accepted);
    pending.forEach((file, parsed) -> change(all, file, parsed, files));
    // Usually every change is valid together: one validation, not one per file.
    Map<String, Accepted> next = ModelValidator.validate(ordered(all, "")).isEmpty()
        ? all : applyOneByOne(pending, files, rejected);

    MeshModel before = model;
    Map<String, Accepted> previous = accepted;
    accepted = Map.copyOf(next);
    MeshModel built = MeshModel.of(accepted.values().stream()
        .flatMap(a -> a.parsed().resources().stream()).toList());
    model = built.equals(before) ? before : built;
    List<Problem> problems = rejected.values().stream().flatMap(List::stream).toList();
    return new Outcome(model, !model.equals(before), problems,
        events(previous, accepted, before, model, rejected, parsedNow));
  }

  /**
   * Applies each pending change that keeps the model valid, repeating while one more gets in (so
   * files that need each other go in together); what never gets in is rejected with its problems.
   */
  private Map<String, Accepted> applyOneByOne(Map<String, ParsedFile> pending,
      Map<String, String> files, Map<String, List<Problem>> rejected) {
    Map<String, Accepted> current = new TreeMap<>(accepted);
    Map<String, ParsedFile> remaining = new TreeMap<>(pending);
    boolean progress = true;
    while (progress && !remaining.isEmpty()) {
      progress = false;
      for (String file : List.copyOf(remaining.keySet())) {
        Map<String, Accepted> trial = new TreeMap<>(current);
        change(trial, file, remaining.get(file), files);
        List<Problem> problems = ModelValidator.validate(ordered(trial, file));
        if (problems.isEmpty()) {
          current = trial;
          remaining.remove(file);
          rejected.remove(file);
          progress = true;
        } else {
          rejected.put(file, blame(file, remaining.get(file), problems));
        }
      }
    }
    return current;
  }

  private static void change(Map<String, Accepted> state, String file, ParsedFile parsed,
      Map<String, String> files) {
    if (parsed == null) {
      state.remove(file);
    } else {
      state.put(file, new Accepted(files.get(file), parsed));
    }
  }

  /** Every file but {@code last} in name order, then {@code last}: its duplicates are the errors. */
  private static List<FileResources> ordered(Map<String, Accepted> files, String last) {
    List<FileResources> ordered = new ArrayList<>();
    files.forEach((file, accepted) -> {
      if (!file.equals(last)) {
        ordered.add(new FileResources(file, accepted.parsed().resources()));
      }
    });
    Optional.ofNullable(files.get(last))
        .ifPresent(a -> ordered.add(new FileResources(last, a.parsed().resources())));
    return ordered;
  }

  /** The file's own problems; problems it would cause elsewhere are reported against it, quoted. */
  private static List<Problem> blame(String file, ParsedFile parsed, List<Problem> problems) {
    List<Problem> own = new ArrayList<>();
    for (Problem problem : problems) {
      if (problem.file().equals(file)) {
        own.add(problem);
      } else {
        own.add(new Problem(file, "", "", (parsed == null ? "deletion" : "change")
            + " not applied, it would break " + problem));
      }
    }
    return own;
  }

  private static List<ResourceEvent> events(Map<String, Accepted> oldFiles,
      Map<String, Accepted> newFiles, MeshModel before, MeshModel after,
      Map<String, List<Problem>> rejected, Map<String, ParsedFile> parsedNow) {
    Map<ResourceId, String> oldOrigin = origins(oldFiles);
    Map<ResourceId, String> newOrigin = origins(newFiles);
    List<ResourceEvent> events = new ArrayList<>();
    for (Resource resource : after.resources()) {
      Optional<Resource> old = before.get(resource.id());
      if (old.isEmpty() || !old.get().equals(resource)) {
        events.add(new ResourceEvent(old.isEmpty() ? ResourceEvent.Type.APPLIED
            : ResourceEvent.Type.CHANGED, newOrigin.get(resource.id()), Optional.of(resource.id()),
            List.of()));
      }
    }
    for (Resource resource : before.resources()) {
      if (after.get(resource.id()).isEmpty()) {
        events.add(new ResourceEvent(ResourceEvent.Type.DELETED, oldOrigin.get(resource.id()),
            Optional.of(resource.id()), List.of()));
      }
    }
    rejected.forEach((file, problems) -> {
      ParsedFile named = parsedNow.containsKey(file) ? parsedNow.get(file)
          : oldFiles.get(file).parsed();
      List<ResourceId> ids = named.resources().stream().map(Resource::id).toList();
      if (ids.isEmpty()) {
        events.add(new ResourceEvent(ResourceEvent.Type.REJECTED, file, Optional.empty(), problems));
      }
      ids.forEach(id -> events.add(new ResourceEvent(ResourceEvent.Type.REJECTED, file,
          Optional.of(id), problems)));
    });
    return events;
  }

  private static Map<ResourceId, String> origins(Map<String, Accepted> files) {
    Map<ResourceId, String> origin = new LinkedHashMap<>();
    files.forEach((file, accepted) -> accepted.parsed().resources()
        .forEach(resource -> origin.putIfAbsent(resource.id(), file)));
    return origin;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    TreeSet<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

}
