package dev.outrigger.controlplane.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the demo writes to its directory: the mesh config the operator edits, and the sidecars' bootstraps. */
final class DemoFiles {
  static final List<String> MESH_FILES = List.of("services.yaml", "catalog-route.yaml");
  static final String ROUTE_FILE = "catalog-route.yaml";

  private DemoFiles() {}

  /**
   * Copies the bundled mesh config (src/main/resources/demo/mesh) into {@code dir}; a file already
   * there (a demo run again with the same {@code --dir}) keeps the operator's edits.
   */
  static Path writeMesh(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name : MESH_FILES) {
      if (Files.exists(dir.resolve(name))) {
        continue;
      }
      try (InputStream in = DemoFiles.class.getResourceAsStream("/demo/mesh/" + name)) {
        if (in == null) {
          throw new IllegalStateException("demo/mesh/" + name + " is missing from the control-plane jar");
        }
        Files.copy(in, dir.resolve(name));
      }
    }
    return dir;
  }

  /**
   * A sidecar's bootstrap: its admin server, the ADS stream to the control plane's plaintext xDS
   * port, and the node metadata that declares its workload and its listener ports; everything
   * else comes from the control plane.
   */
  static Path writeBootstrap(Path dir, DemoLayout.Workload workload, int xdsPort) {
    String yaml = """
        node:
          id: %1$s-1
          metadata:
            outrigger.service: %1$s
            outrigger.namespace: %2$s
            outrigger.service_account: %1$s
            outrigger.address: 127.0.0.1
            outrigger.inbound_ports: { http: %3$d }
            outrigger.outbound_port: %4$d
            outrigger.inbound_port: %5$d
        admin: { address: { socket_address: { address: 127.0.0.1, port_value: %6$d } } }
        dynamic_resources:
          ads_config: { api_type: GRPC, transport_api_version: V3, grpc_services: [{ envoy_grpc: { cluster_name: xds } }] }
          lds_config: { ads: {} }
          cds_config: { ads: {} }
        static_resources:
          clusters:
          - name: xds
            type: STATIC
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
            load_assignment:
              cluster_name: xds
              endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %7$d } } } }] }]
        """.formatted(workload.service(), DemoLayout.NAMESPACE, workload.app(), workload.outbound(),
        workload.inbound(), workload.admin(), xdsPort);
    try {
      return Files.writeString(dir.resolve(workload.service() + "-bootstrap.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
