package dev.outrigger.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outrigger.controlplane.model.file.ConfigDirectory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real config directory reconciled three times: applied, changed, rejected (the last good one stays), deleted. */
class ResourceEventsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final EventHub hub = new EventHub(100, 10, new SimpleMeterRegistry());

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void eachReconciliationBecomesOneEventPerResource() throws Exception {
    ConfigDirectory config = new ConfigDirectory(dir, Duration.ZERO, Duration.ZERO, System::nanoTime);
    config.onEvent(new ResourceEvents(new Emitter(Emitter.CONTROL_PLANE, Clock.systemUTC(), hub)));
    Path file = dir.resolve("mesh.yaml");

    Files.writeString(file, service(8080));
    config.load();
    Files.writeString(file, service(9090));
    config.load();
    Files.writeString(file, service(-1));
    config.load();
    Files.delete(file);
    config.load();

    assertThat(hub.recent()).extracting(CloudEvent::type).containsExactly("dev.outrigger.resource.applied",
        "dev.outrigger.resource.changed", "dev.outrigger.resource.rejected", "dev.outrigger.resource.deleted");
    assertThat(hub.recent()).extracting(CloudEvent::subject).containsOnly("Service/shop/cart");
    CloudEvent rejected = hub.recent().get(2);
    assertThat(rejected.data()).isEqualTo(JSON.readTree("""
        {"file": "%s", "kind": "Service", "namespace": "shop", "name": "cart",
         "problems": [{"file": "%s", "resource": "Service shop/cart", "path": "spec.ports[0].port",
                       "message": "must be >= 1"}]}
        """.formatted(file, file)));
  }

  private static String service(int port) {
    return """
        apiVersion: outrigger.dev/v1alpha1
        kind: Service
        metadata: {name: cart, namespace: shop}
        spec:
          ports: [{name: http, port: %d, protocol: http}]
        """.formatted(port);
  }
}
