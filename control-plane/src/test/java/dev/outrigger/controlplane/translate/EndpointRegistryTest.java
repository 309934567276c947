package dev.outrigger.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.model.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointRegistryTest {
  private static final Duration GRACE = Duration.ofSeconds(15);
  private static final ServiceKey WEB = new ServiceKey("shop", "web");

  private final ManualTime time = new ManualTime();
  private final List<String> changes = new ArrayList<>();
  private final EndpointRegistry registry = new EndpointRegistry(time, GRACE, new EndpointRegistry.Changes() {
    @Override
    public void proxiesChanged() {
      changes.add("changed");
    }

    @Override
    public void proxyGone(String nodeId) {
      changes.add("gone " + nodeId);
    }
  });

  @Test
  void aSidecarIsAnEndpointFromItsStreamUntilTheGraceAfterIt() {
    registry.connected(Meshes.workload("w1", "shop", "web", "web", "10.0.0.1"));
    assertThat(addresses()).containsExactly("10.0.0.1");
    assertThat(changes).containsExactly("changed");

    registry.disconnected("w1");
    time.advance(GRACE.minusMillis(1));
    assertThat(addresses()).containsExactly("10.0.0.1");

    time.advance(Duration.ofMillis(1));
    assertThat(addresses()).isEmpty();
    assertThat(registry.proxies()).isEmpty();
    assertThat(changes).containsExactly("changed", "changed", "gone w1");
  }

  @Test
  void aReconnectWithinTheGraceKeepsTheEndpoint() {
    registry.connected(Meshes.workload("w1", "shop", "web", "web", "10.0.0.1"));
    registry.disconnected("w1");
    time.advance(GRACE.dividedBy(2));
    registry.connected(Meshes.workload("w1", "shop", "web", "web", "10.0.0.1"));
    time.advance(GRACE.multipliedBy(2));

    assertThat(addresses()).containsExactly("10.0.0.1");
    assertThat(changes).containsExactly("changed");
  }

  @Test
  void theEndpointStaysWhileAnyStreamOfTheNodeIsOpen() {
    registry.connected(Meshes.workload("w1", "shop", "web", "web", "10.0.0.1"));
    registry.connected(Meshes.workload("w1", "shop", "web", "web", "10.0.0.1"));
    registry.disconnected("w1");
    time.advance(GRACE.multipliedBy(2));
    assertThat(addresses()).containsExactly("10.0.0.1");

    registry.disconnected("w1");
    time.advance(GRACE);
    assertThat(addresses()).isEmpty();
  }

  @Test
  void aNodeThatReconnectsWithAnotherAddressMovesItsEndpoint() {
    registry.connected(Meshes.workload("w1", "shop", "web", "web", "10.0.0.1"));
    registry.disconnected("w1");
    registry.connected(Meshes.workload("w1", "shop", "web", "web", "10.0.0.2"));

    assertThat(addresses()).containsExactly("10.0.0.2");
    assertThat(changes).containsExactly("changed", "changed");
  }

  private List<String> addresses() {
    return registry.endpoints().sidecars(WEB).stream().map(w -> w.workload().orElseThrow().address()).toList();
  }
}
