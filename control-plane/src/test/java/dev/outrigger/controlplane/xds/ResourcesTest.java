package dev.outrigger.controlplane.xds;

import static dev.outrigger.controlplane.xds.Fixtures.cluster;
import static dev.outrigger.controlplane.xds.Fixtures.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resource versions are content hashes; the cache only reports real changes. */
class ResourcesTest {

  @Test
  void theVersionIsAHashOfTheContent() {
    assertThat(Resource.of(cluster("a")).version()).isEqualTo(Resource.of(cluster("a")).version())
        .isNotEqualTo(Resource.of(cluster("a", 2)).version());
  }

  @Test
  void mapEntriesInAnyOrderHashAlike() {
    Cluster one = withMetadata(List.of("x", "y", "z"));
    Cluster other = withMetadata(List.of("z", "y", "x"));

    assertThat(Resource.of(one).version()).isEqualTo(Resource.of(other).version());
  }

  @Test
  void namesAreUniquePerType() {
    assertThatThrownBy(() -> resources(cluster("a"), cluster("a", 2)))
        .hasMessage("two CDS resources named a");
    assertThatThrownBy(() -> Resource.of(Cluster.getDefaultInstance())).hasMessage("a Cluster without a name");
    assertThatThrownBy(() -> Resource.of(Struct.getDefaultInstance()))
        .hasMessage("google.protobuf.Struct is not an xDS resource type");
  }

  @Test
  void settingTheSameResourcesAgainIsNoChange() {
    List<String> changed = new ArrayList<>();
    XdsCache cache = new XdsCache(NodeResolver.NOTHING, new ManualScheduler(), changed::add);

    cache.set("a", resources(cluster("one")));
    cache.set("a", resources(cluster("one")));
    cache.set("b", resources(cluster("one")));
    cache.set("a", resources(cluster("one", 3)));
    cache.remove("b");
    cache.remove("unknown");

    assertThat(changed).containsExactly("a", "b", "a", "b");
  }

  /** The same metadata whatever the order of {@code keys}: only the insertion order differs. */
  private static Cluster withMetadata(List<String> keys) {
    Struct.Builder struct = Struct.newBuilder();
    Metadata.Builder metadata = Metadata.newBuilder();
    for (String key : keys) {
      struct.putFields(key, Value.newBuilder().setStringValue(key).build());
      metadata.putFilterMetadata(key, Struct.newBuilder().putFields(key, Value.newBuilder().setNumberValue(1).build())
          .build());
    }
    metadata.putFilterMetadata("all", struct.build());
    return cluster("m").toBuilder().setMetadata(metadata).build();
  }
}
