package dev.outrigger.controlplane.model.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the configuration files under a directory (recursively) or a single file: every
 * {@code .yaml}, {@code .yml} and {@code .json} file whose name and directories do not start with
 * a dot (editors' swap and backup files, {@code ..data} links of Kubernetes ConfigMaps are skipped,
 * as are names ending in {@code ~}). Files are named as {@code root} was given plus their relative path.
 */
public final class ConfigFiles {
  private ConfigFiles() {}

  /** Name → content of every configuration file under {@code root}, sorted by name. */
  public static Map<String, String> read(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (Files.isRegularFile(root)) {
      files.put(root.toString(), Files.readString(root, StandardCharsets.UTF_8));
      return files;
    }
    if (!Files.isDirectory(root)) {
      throw new IOException(root + ": no such file or directory");
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(Files::isRegularFile).filter(path -> isConfig(root.relativize(path))).toList();
    }
    for (Path path : paths) {
      files.put(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    }
    return files;
  }

  private static boolean isConfig(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return false;
      }
    }
    String name = relative.getFileName().toString();
    return !name.endsWith("~")
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }
}
