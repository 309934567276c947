package dev.outrigger.controlplane.cli;

import dev.outrigger.controlplane.events.EventHub;
import dev.outrigger.controlplane.state.StateDir;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The CloudEvents flags of {@code outrigger control-plane}: the JSON-lines file and the HTTP sink. */
final class EventsOptions {
  @Mixin private EventsFileOption file;

  @Option(names = "--events-sink", paramLabel = "URL",
      description = "Also POST every event to URL (http or https; CloudEvents structured mode,"
          + " Content-Type application/cloudevents+json), retried on 5xx and connection errors."
          + " Events the sink cannot take in time are dropped and counted"
          + " (outrigger_events_dropped_total{sink=\"http\"}).")
  private URI sink;

  /** The hub that writes the file and, if given, feeds the sink; close it last. */
  EventHub open(StateDir dir, MeterRegistry registry) {
    if (sink != null && !(("http".equals(sink.getScheme()) || "https".equals(sink.getScheme()))
        && sink.getHost() != null)) {
      throw new IllegalArgumentException("--events-sink " + sink + ": not an http:// or https:// URL");
    }
    return EventHub.forControlPlane(file.resolve(dir), sink, registry);
  }
}
