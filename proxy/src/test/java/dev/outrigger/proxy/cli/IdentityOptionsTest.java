package dev.outrigger.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.proxy.identity.IdentitySource;
import dev.outrigger.proxy.identity.WorkloadApiIdentitySource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/** {@code --identity}: which source fills the SDS secrets, and the errors when it cannot. */
class IdentityOptionsTest {
  private static final String EXAMPLE = "../docs/examples/bootstrap-http.yaml";

  @TempDir Path dir;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new TriggeredShutdown());
    return new String[] {String.valueOf(code), err.toString()};
  }

  @Test
  void pemNeedsItsThreeFiles() {
    String[] result = run("proxy", "--bootstrap", EXAMPLE, "--identity", "pem", "--identity-cert", "c.pem");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).contains("--identity pem needs --identity-cert, --identity-key and --identity-bundle");
  }

  @Test
  void incompleteAndUnknownSourcesAreUsageErrors() {
    String[] incomplete = run("proxy", "--bootstrap", EXAMPLE, "--identity", "ca", "--spiffe-id", "spiffe://td/ns/a/sa/b");
    assertThat(incomplete[0]).isEqualTo("2");
    assertThat(incomplete[1]).contains("--identity ca needs --ca-bundle, --join-token-file and --spiffe-id");
    String[] notAnId = run("proxy", "--bootstrap", EXAMPLE, "--identity", "ca", "--ca-bundle", "b.pem",
        "--join-token-file", "t", "--spiffe-id", "https://td/ns/a/sa/b");
    assertThat(notAnId[0]).isEqualTo("2");
    assertThat(notAnId[1]).contains("not a SPIFFE ID: https://td/ns/a/sa/b");
    String[] unknown = run("proxy", "--bootstrap", EXAMPLE, "--identity", "vault");
    assertThat(unknown[0]).isEqualTo("2");
    assertThat(unknown[1]).contains("--identity must be pem, ca or workload-api, got vault");
  }

  /** A command with only the identity options, to ask them for a source. */
  @Command(name = "identity")
  static final class Options {
    @Mixin IdentityOptions identity;
  }

  @Test
  void theWorkloadApiIsTheDefaultWhenItsSocketIsSet() {
    Options options = new Options();
    new CommandLine(options).parseArgs();
    assertThat(options.identity.source(Map.of())).isEmpty();
    IdentitySource.Factory fromSocket =
        options.identity.source(Map.of("SPIFFE_ENDPOINT_SOCKET", "unix:///run/spire/agent.sock")).orElseThrow();
    try (IdentitySource source = fromSocket.create(new SimpleMeterRegistry())) {
      assertThat(source).isInstanceOf(WorkloadApiIdentitySource.class);
    }
  }

  @Test
  void theWorkloadApiNeedsItsSocket() {
    Options options = new Options();
    new CommandLine(options).parseArgs("--identity", "workload-api");
    assertThatThrownBy(() -> options.identity.source(Map.of()))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--identity workload-api needs $SPIFFE_ENDPOINT_SOCKET");
  }

  @Test
  void aConfigThatNeedsTheIdentityDoesNotStartWithoutASource() throws IOException {
    Path bootstrap = Files.writeString(dir.resolve("sds.yaml"), """
        static_resources:
          listeners:
          - name: inbound
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - transport_socket:
                name: tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  common_tls_context: {tls_certificate_sds_secret_configs: [{name: default}]}
              filters:
              - name: tcp
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: tcp
                  cluster: app
          clusters:
          - name: app
            load_assignment: {cluster_name: app, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 9}}}}]}]}
        """);
    String[] result = run("proxy", "--bootstrap", bootstrap.toString());
    assertThat(result[0]).isEqualTo("3");
    assertThat(result[1]).contains("the config refers to the SDS secret default or ROOTCA but no identity source is configured");
  }
}
