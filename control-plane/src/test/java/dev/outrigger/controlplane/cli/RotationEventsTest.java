package dev.outrigger.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.ca.CertificateAuthority;
import dev.outrigger.controlplane.ca.MutableClock;
import dev.outrigger.controlplane.ca.TtlPolicy;
import dev.outrigger.controlplane.events.CloudEvent;
import dev.outrigger.controlplane.events.CloudEventJson;
import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.spiffeid.TrustDomain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctl ca rotate}: each step appends its {@code dev.outrigger.ca.root.rotated} event; a refused one appends none. */
class RotationEventsTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final StringWriter err = new StringWriter();

  @Test
  void everyStepIsAnEventInTheEventsFile() throws Exception {
    Path stateDir = dir.resolve("state");
    CertificateAuthority.open(StateDir.open(stateDir), TrustDomain.parse("example.org"), null, TtlPolicy.DEFAULT,
        clock);
    Path file = dir.resolve("audit").resolve("events.jsonl");
    Files.createDirectories(file.getParent());

    assertThat(rotate("activate", stateDir, file)).isEqualTo(ExitCodes.REFUSED);
    assertThat(rotate("prepare", stateDir, file)).isEqualTo(ExitCodes.OK);
    assertThat(rotate("activate", stateDir, file)).isEqualTo(ExitCodes.OK);
    assertThat(rotate("retire", stateDir, file, "--force")).isEqualTo(ExitCodes.OK);

    List<CloudEvent> events = Files.readAllLines(file).stream().map(CloudEventJson::read).toList();
    assertThat(events).extracting(CloudEvent::type).containsOnly("dev.outrigger.ca.root.rotated");
    assertThat(events).extracting(event -> event.data().get("step").asText())
        .containsExactly("prepare", "activate", "retire");
    String prepared = events.get(0).data().at("/roots/0/id").asText();
    assertThat(events.get(0).data().at("/roots/0/phase").asText()).isEqualTo("prepared");
    assertThat(events.get(1).data().at("/roots/0/id").asText()).isEqualTo(prepared);
    assertThat(events.get(1).data().at("/roots/0/phase").asText()).isEqualTo("issuing");
    assertThat(events.get(2).data().at("/roots/0/id").asText()).isNotEqualTo(prepared);
    assertThat(events.get(2).data().at("/roots/0/phase").asText()).isEqualTo("previous");
    assertThat(events).allSatisfy(event -> {
      assertThat(event.source()).isEqualTo("//outrigger/ctl");
      assertThat(event.subject()).isEqualTo("example.org");
      assertThat(event.time()).isEqualTo(clock.instant());
    });
    assertThat(Files.exists(stateDir.resolve("events.jsonl"))).isFalse();
  }

  private int rotate(String step, Path stateDir, Path eventsFile, String... more) {
    List<String> args = new ArrayList<>(List.of("ctl", "ca", "rotate", step, "--state-dir", stateDir.toString(),
        "--events-file", eventsFile.toString()));
    args.addAll(List.of(more));
    return Main.run(args.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true), clock, action -> { });
  }
}
