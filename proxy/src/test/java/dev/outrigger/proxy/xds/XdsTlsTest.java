package dev.outrigger.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import dev.outrigger.proxy.tls.TestPki;
import io.grpc.netty.GrpcSslContexts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ADS stream over the ADS cluster's TLS transport socket, trusting the control plane's CA. */
class XdsTlsTest {
  @Test
  void theStreamUsesTheClustersTls() throws Exception {
    TestPki pki = TestPki.get();
    try (ReferenceControlPlane controlPlane = new ReferenceControlPlane(GrpcSslContexts
        .forServer(pki.file("server.crt").toFile(), pki.file("server.key").toFile()).build())) {
      controlPlane.cache.setSnapshot(MeshResources.NODE, MeshResources.mesh("1", 9001));
      LoadedBootstrap bootstrap = MeshResources.bootstrap(controlPlane.port(), false, """
                transport_socket:
                  name: envoy.transport_sockets.tls
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                    common_tls_context: { validation_context: { trusted_ca: { filename: %s } } }
            """.formatted(pki.file("ca.crt")));
      RecordingSink sink = new RecordingSink();
      try (XdsClient client = XdsClient.start(bootstrap.ads().orElseThrow(), bootstrap.xdsTranslator(), sink,
          new SimpleMeterRegistry(), new ManualScheduler(), bound -> bound - 1, java.time.Clock.systemUTC())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !sink.applied.isEmpty());
        assertThat(client.status().connected()).isTrue();
      }
    }
  }
}
