package dev.outrigger.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The launcher records the AOT cache from this workload; a workload that stops working would
 * leave every later start without the cache, silently but for one line of the launcher.
 */
class AotTrainingTest {

  @Test
  void servesThroughTheHopAndStopsWithExitCodeZero() throws Exception {
    // run() throws on any answer but 200 (GETs, 64 KiB POSTs, the admin pages) or if never ready.
    assertThat(AotTraining.run(5)).isZero();
  }
}
