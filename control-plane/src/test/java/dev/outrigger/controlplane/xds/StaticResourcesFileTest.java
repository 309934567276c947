package dev.outrigger.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --xds-static development file: Envoy's file-subscription shape, typed by @type. */
class StaticResourcesFileTest {
  static final String YAML = """
      resources:
      - "@type": type.googleapis.com/envoy.config.listener.v3.Listener
        name: greeter
        api_listener:
          api_listener:
            "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
            stat_prefix: greeter
            rds: { route_config_name: greeter-routes, config_source: { ads: {} } }
            http_filters:
            - name: envoy.filters.http.router
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
      - "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
        name: greeter-routes
        virtual_hosts:
        - { name: greeter, domains: [greeter], routes: [{ match: { prefix: "" }, route: { cluster: greeter } }] }
      - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
        name: greeter
        type: EDS
        eds_cluster_config: { eds_config: { ads: {} } }
      - "@type": type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment
        cluster_name: greeter
        endpoints:
        - lb_endpoints:
          - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 9000 } } }
      - "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret
        name: ROOTCA
        validation_context: { trusted_ca: { filename: /etc/ca.pem } }
      """;

  @TempDir Path dir;

  @Test
  void readsEveryResourceTypeWithNestedTypedConfigs() throws Exception {
    Resources resources = StaticResourcesFile.load(write("static.yaml", YAML));

    for (ResourceType type : ResourceType.values()) {
      assertThat(resources.of(type)).as(type.toString()).hasSize(1);
    }
    Listener listener = resources.of(ResourceType.LISTENER).get("greeter").body().unpack(Listener.class);
    assertThat(listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class)
        .getRds().getRouteConfigName()).isEqualTo("greeter-routes");
    assertThat(resources.of(ResourceType.ENDPOINT)).containsKey("greeter");
  }

  @Test
  void jsonWorksToo() throws Exception {
    Path file = write("static.json", """
        {"resources": [{"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "c"}]}
        """);

    assertThat(StaticResourcesFile.load(file).of(ResourceType.CLUSTER)).containsOnlyKeys("c");
  }

  @Test
  void problemsNameTheFileAndTheEntry() throws Exception {
    assertThatThrownBy(() -> StaticResourcesFile.load(write("a.yaml", "resources:\n- name: x\n")))
        .hasMessageEndingWith("a.yaml: resources[0]: no @type");
    assertThatThrownBy(() -> StaticResourcesFile.load(write("b.yaml", """
        resources:
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
          name: c
          not_a_field: 1
        """))).hasMessageContaining("b.yaml: resources[0]: ").hasMessageContaining("not_a_field");
    assertThatThrownBy(() -> StaticResourcesFile.load(write("c.yaml", """
        resources:
        - "@type": type.googleapis.com/envoy.config.bootstrap.v3.Bootstrap
        """))).hasMessageContaining("c.yaml: resources[0]: type.googleapis.com/envoy.config.bootstrap.v3.Bootstrap"
            + " is not a Listener");
    assertThatThrownBy(() -> StaticResourcesFile.load(write("d.yaml", """
        resources:
        - "@type": type.googleapis.com/envoy.config.cluster.v3.Nope
        """))).hasMessageEndingWith("d.yaml: unknown @type type.googleapis.com/envoy.config.cluster.v3.Nope");
    assertThatThrownBy(() -> StaticResourcesFile.load(write("e.yaml", "listeners: []\n")))
        .hasMessageEndingWith("e.yaml: expected a list under 'resources'");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }
}
