package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.file.ConfigFiles;
import dev.outrigger.controlplane.model.file.ConfigReconciler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outrigger ctl validate -f FILE_OR_DIR}: checks mesh resources offline, exactly as
 * {@code control-plane --config-dir} would load them, without a running control plane.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Checks mesh resource files (YAML, several documents per file) as the control"
        + " plane would load them: every problem on standard error with file, resource and field"
        + " path. See docs/mesh-model.md.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every resource is valid", "1:problems found, or a file could not be read"})
final class ValidateCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE_OR_DIR",
      description = "A file, or a directory read recursively (*.yaml, *.yml, *.json); repeatable.")
  private List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> files = new TreeMap<>();
    try {
      for (Path path : paths) {
        files.putAll(ConfigFiles.read(path));
      }
    } catch (IOException e) {
      err.println("outrigger: " + e.getMessage());
      err.flush();
      return ExitCodes.INVALID;
    }
    if (files.isEmpty()) {
      err.println("outrigger: no mesh resource files (*.yaml, *.yml, *.json) in " + paths);
      err.flush();
      return ExitCodes.INVALID;
    }
    ConfigReconciler.Outcome outcome = new ConfigReconciler().reconcile(files);
    outcome.problems().stream().map(Problem::toString).forEach(err::println);
    err.flush();
    if (!outcome.problems().isEmpty()) {
      return ExitCodes.INVALID;
    }
    out.println(outcome.model().resources().size() + " resources in " + files.size()
        + " files: valid");
    out.flush();
    return ExitCodes.OK;
  }
}
