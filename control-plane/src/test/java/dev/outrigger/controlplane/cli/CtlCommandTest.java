package dev.outrigger.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.ca.CertificateAuthority;
import dev.outrigger.controlplane.ca.KeyAlgorithm;
import dev.outrigger.controlplane.ca.MutableClock;
import dev.outrigger.controlplane.ca.TtlPolicy;
import dev.outrigger.controlplane.state.StateDir;
import dev.outrigger.controlplane.token.JoinTokens;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outrigger ctl}, run in-process: outputs and the exit codes scripts rely on. */
class CtlCommandTest {
  @TempDir Path stateDir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void createCa() throws Exception {
    CertificateAuthority ca = CertificateAuthority.open(StateDir.open(stateDir),
        TrustDomain.parse("example.org"), null, TtlPolicy.DEFAULT, clock);
    // A leaf valid for 24 h under the first root, so that retiring it must wait.
    ca.issueServing(KeyAlgorithm.newEcP256().getPublic(),
        SpiffeId.parse("spiffe://example.org/ns/a/sa/b"), List.of(), List.of());
  }

  @Test
  void tokenCreatePrintsOnlyTheTokenOnStdout() throws Exception {
    assertThat(ctl("token", "create", "--namespace", "shop", "--service-account", "cart", "--ttl", "2h"))
        .isEqualTo(ExitCodes.OK);
    String token = out.toString().strip();
    assertThat(token).matches("[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}");
    assertThat(err.toString()).contains("grants spiffe://example.org/ns/shop/sa/cart until "
        + clock.instant().plus(Duration.ofHours(2)), "shown only now");
    assertThat(new JoinTokens(StateDir.open(stateDir), clock).authenticate(token).spiffeId())
        .isEqualTo(SpiffeId.parse("spiffe://example.org/ns/shop/sa/cart"));
  }

  @Test
  void invalidInputExitsWithOne() {
    assertThat(ctl("token", "create", "--namespace", "shop")).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("Missing required option: '--service-account=SA'");
    assertThat(ctl("token", "create", "--namespace", "shop", "--service-account", "cart", "--ttl", "soon"))
        .isEqualTo(ExitCodes.INVALID);
    assertThat(ctl("token", "create", "--namespace", "sh op", "--service-account", "cart"))
        .isEqualTo(ExitCodes.INVALID);
    assertThat(run("ctl", "ca")).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("Missing required subcommand");
  }

  @Test
  void aMissingStateDirExitsWithThree() {
    assertThat(run("ctl", "ca", "status", "--state-dir", stateDir.resolve("none").toString()))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("no CA in", "start the control plane once");
  }

  @Test
  void rotationStepByStepWithRefusalsExitingTwo() {
    assertThat(ctl("ca", "rotate", "activate")).isEqualTo(ExitCodes.REFUSED);
    assertThat(err.toString()).contains("refused: no prepared root");

    assertThat(ctl("ca", "rotate", "prepare")).isEqualTo(ExitCodes.OK);
    assertThat(ctl("ca", "status")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("trust domain example.org, 2 root(s)", "ISSUING", "PREPARED", "sha256");

    assertThat(ctl("ca", "rotate", "activate")).isEqualTo(ExitCodes.OK);
    assertThat(ctl("ca", "rotate", "retire")).isEqualTo(ExitCodes.REFUSED);
    assertThat(err.toString()).contains("signed leaves valid until");

    clock.advance(Duration.ofHours(24));
    assertThat(ctl("ca", "rotate", "retire")).isEqualTo(ExitCodes.OK);
    out.getBuffer().setLength(0);
    assertThat(ctl("ca", "status")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("1 root(s)", "ISSUING").doesNotContain("PREVIOUS");
  }

  /** {@code ctl args... --state-dir <the test's>}. */
  private int ctl(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "ctl";
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "--state-dir";
    full[args.length + 2] = stateDir.toString();
    return run(full);
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), clock, action -> { });
  }
}
