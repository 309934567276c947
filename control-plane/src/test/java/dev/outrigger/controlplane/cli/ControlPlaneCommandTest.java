package dev.outrigger.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.controlplane.ca.MutableClock;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.TrustDomain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outrigger control-plane} in-process: creates the CA, writes bundle.pem, serves, stops with 0. */
class ControlPlaneCommandTest {
  @TempDir Path stateDir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @Test
  void startsServesAndStopsCleanly() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicReference<Runnable> stop = new AtomicReference<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(
        new String[] {"control-plane", "--state-dir", stateDir.toString(), "--ca-port", "0",
            "--admin-port", "0", "--xds-port", "0",
            "--trust-domain", "example.org", "--default-ttl", "1h", "--max-ttl", "2h"},
        new PrintWriter(out, true), new PrintWriter(err, true), clock, stop::set));

    await().atMost(Duration.ofSeconds(60))
        .until(() -> out.toString().contains("serving certificate") || exit.isDone());
    assertThat(exit).as(err.toString()).isNotDone();
    assertThat(out.toString()).contains("CA for trust domain example.org on 127.0.0.1:", "(TLS)",
        "spiffe://example.org/ns/outrigger-system/sa/control-plane");
    assertThat(X509Bundle.load(TrustDomain.parse("example.org"), stateDir.resolve("bundle.pem"))
        .getX509Authorities()).hasSize(1);
    assertThat(Files.readString(stateDir.resolve("audit.log")))
        .contains("\"caller\":\"control-plane\"", "\"result\":\"issued\"");

    stop.get().run();
    assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("outrigger control-plane stopped");
  }

  @Test
  void aDefaultTtlAboveTheMaximumIsAUsageError() {
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"control-plane", "--state-dir", stateDir.toString(), "--ca-port", "0",
            "--xds-port", "0", "--default-ttl", "48h", "--max-ttl", "24h"},
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), clock, action -> { });
    assertThat(code).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("longer than the maximum");
  }
}
