package dev.outrigger.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The java command bin/outrigger runs for a module ({@code proxy}, {@code control-plane}): {@code
 * java -cp <module>/target/outrigger-<module>-*.jar:<module>/target/lib/* <main class> ...} with
 * the heap capped at 64 MiB. The module's target directory comes from the system property {@code
 * outrigger.<module>.target} (set by e2e/pom.xml).
 *
 * <p>The launcher itself is not used: without its build stamp it would start a nested Maven
 * build in the middle of the one running these tests.
 */
final class ModuleCommand {
  private static final String MAX_HEAP = "-Xmx64m";

  private ModuleCommand() {}

  static List<String> of(String module, String mainClass, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        MAX_HEAP,
        // As the launcher sets them: direct memory bounded too, so that a proxy buffering
        // whole bodies fails here, and an out-of-memory error ends the process visibly.
        "-XX:MaxDirectMemorySize=256m",
        "-XX:+ExitOnOutOfMemoryError",
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", classPath(module), mainClass));
    command.addAll(arguments);
    return command;
  }

  /** The module's jar and its target/lib, as a class path. */
  static String classPath(String module) throws IOException {
    Path target = Path.of(System.getProperty("outrigger." + module + ".target", "../" + module + "/target"))
        .toAbsolutePath().normalize();
    return jar(module, target) + File.pathSeparator + target.resolve("lib") + File.separator + "*";
  }

  private static Path jar(String module, Path target) throws IOException {
    if (Files.isDirectory(target.resolve("lib"))) {
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "outrigger-" + module + "-*.jar")) {
        for (Path jar : jars) {
          if (!jar.getFileName().toString().endsWith("-tests.jar")) {
            return jar;
          }
        }
      }
    }
    throw new IllegalStateException("no packaged " + module + " in " + target + " (its jar and lib/):"
        + " run the e2e tests through the reactor, e.g. mvn -B verify, or mvn -pl e2e -am verify");
  }
}
