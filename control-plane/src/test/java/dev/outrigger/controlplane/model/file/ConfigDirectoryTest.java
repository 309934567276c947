package dev.outrigger.controlplane.model.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.model.ServiceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watched directory: debounced changes, a bad file, a deleted file; polls driven by hand. */
class ConfigDirectoryTest {
  static final Duration QUIET = Duration.ofMillis(200);
  static final Duration MAX_DELAY = Duration.ofSeconds(1);

  @TempDir Path dir;
  final AtomicLong nanos = new AtomicLong();
  final List<MeshModel> models = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  ConfigDirectory directory;

  @BeforeEach
  void loadTheInitialDirectory() throws Exception {
    Files.writeString(dir.resolve("cart.yaml"), ConfigReconcilerTest.service("cart", 80));
    Files.writeString(dir.resolve(".cart.yaml.swp"), "not yaml at all: [");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    directory = new ConfigDirectory(dir, QUIET, MAX_DELAY, nanos::get);
    directory.onModel(models::add);
    directory.onEvent(event -> events.add(event.type() + " " + event.id().orElseThrow()));
    assertThat(directory.load().problems()).isEmpty();
    assertThat(events).containsExactly("APPLIED Service default/cart");
    events.clear();
    models.clear();
  }

  @AfterEach
  void stop() {
    directory.close();
  }

  @Test
  void aChangeIsAppliedOnceTheDirectoryHasBeenQuiet() throws Exception {
    Files.writeString(dir.resolve("cart.yaml"), ConfigReconcilerTest.service("cart", 81));
    directory.poll();                        // sees the change
    nanos.addAndGet(QUIET.toNanos() / 2);
    Files.writeString(dir.resolve("cart.yaml"), ConfigReconcilerTest.service("cart", 82));
    directory.poll();                        // a second write restarts the quiet period
    nanos.addAndGet(QUIET.toNanos() - 1);
    directory.poll();
    assertThat(models).isEmpty();

    nanos.addAndGet(1);
    directory.poll();
    assertThat(models).singleElement().satisfies(model -> assertThat(
        model.services().get(new ServiceKey("default", "cart")).ports().get(0).port()).isEqualTo(82));
    assertThat(events).containsExactly("CHANGED Service default/cart");

    nanos.addAndGet(QUIET.toNanos());
    directory.poll();                        // nothing new: nothing published
    assertThat(models).hasSize(1);
  }

  @Test
  void aDirectoryThatNeverRestsIsReconciledAfterTheMaximumDelay() throws Exception {
    long step = QUIET.toNanos() / 2;
    for (int write = 1; nanos.get() < MAX_DELAY.toNanos(); write++) {
      Files.writeString(dir.resolve("cart.yaml"), ConfigReconcilerTest.service("cart", 100 + write));
      directory.poll();
      assertThat(models).isEmpty();
      nanos.addAndGet(step);
    }
    Files.writeString(dir.resolve("cart.yaml"), ConfigReconcilerTest.service("cart", 99));
    directory.poll();
    assertThat(models).singleElement().satisfies(model -> assertThat(
        model.services().get(new ServiceKey("default", "cart")).ports().get(0).port()).isEqualTo(99));
  }

  @Test
  void aBadFileIsRejectedAndTheLastGoodModelKeepsServing() throws Exception {
    MeshModel good = directory.model();
    Files.writeString(dir.resolve("cart.yaml"), "apiVersion: outrigger.dev/v1alpha1\nkind: Service\n"
        + "metadata: {name: cart}\nspec: {ports: [{name: http, port: 80, protocol: udp}]}\n");
    settle();
    assertThat(events).containsExactly("REJECTED Service default/cart");
    assertThat(models).isEmpty();
    assertThat(directory.model()).isSameAs(good);
  }

  @Test
  void aDeletedFileDeletesItsResources() throws Exception {
    Files.delete(dir.resolve("cart.yaml"));
    settle();
    assertThat(events).containsExactly("DELETED Service default/cart");
    assertThat(models).singleElement().satisfies(model -> assertThat(model.resources()).isEmpty());
  }

  @Test
  void watchesOnARealScheduler() throws Exception {
    ConfigDirectory watched = new ConfigDirectory(dir, Duration.ofMillis(20), Duration.ofSeconds(1), System::nanoTime);
    List<MeshModel> seen = new CopyOnWriteArrayList<>();
    watched.load();
    watched.onModel(seen::add);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      watched.watch(scheduler, Duration.ofMillis(10));
      Files.writeString(dir.resolve("other.yaml"), ConfigReconcilerTest.service("other", 80));
      await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
      assertThat(seen.get(0).services()).containsKey(new ServiceKey("default", "other"));
    } finally {
      watched.close();
      scheduler.shutdownNow();
    }
  }

  private void settle() throws Exception {
    directory.poll();
    nanos.addAndGet(QUIET.toNanos());
    directory.poll();
  }
}
