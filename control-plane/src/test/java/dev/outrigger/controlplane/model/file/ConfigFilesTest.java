package dev.outrigger.controlplane.model.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files count: YAML/JSON, recursively, without hidden or backup files, once each. */
class ConfigFilesTest {
  @TempDir Path dir;

  @Test
  void readsConfigurationFilesOnly() throws Exception {
    Files.createDirectories(dir.resolve("routes/.git"));
    Files.writeString(dir.resolve("a.yaml"), "a");
    Files.writeString(dir.resolve("routes/b.yml"), "b");
    Files.writeString(dir.resolve("routes/c.json"), "c");
    Files.writeString(dir.resolve("routes/.git/d.yaml"), "hidden directory");
    Files.writeString(dir.resolve(".e.yaml"), "hidden file");
    Files.writeString(dir.resolve("f.yaml~"), "backup");
    Files.writeString(dir.resolve("g.txt"), "not configuration");

    assertThat(ConfigFiles.read(dir)).containsOnlyKeys(dir.resolve("a.yaml").toString(),
        dir.resolve("routes/b.yml").toString(), dir.resolve("routes/c.json").toString());
    assertThat(ConfigFiles.read(dir.resolve("g.txt"))).containsOnlyKeys(dir.resolve("g.txt").toString());
  }

  /** A mounted ConfigMap: files are links through {@code ..data} to a hidden, versioned directory. */
  @Test
  void readsAMountedConfigMapOncePerFile() throws Exception {
    Files.createDirectories(dir.resolve("..2026_11_29_15_00_00.1"));
    Files.writeString(dir.resolve("..2026_11_29_15_00_00.1/routes.yaml"), "routes");
    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_11_29_15_00_00.1"));
    Files.createSymbolicLink(dir.resolve("routes.yaml"), Path.of("..data/routes.yaml"));

    assertThat(ConfigFiles.read(dir)).containsExactly(
        Map.entry(dir.resolve("routes.yaml").toString(), "routes"));
  }
}
