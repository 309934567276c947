package dev.outrigger.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

class LeakReportGuardTest {

  @Test
  void reportsABufferThatWasNeverReleasedWithWhereItWasTouched() {
    String hint = "leaked on purpose by LeakReportGuardTest";
    leakDirectBuffer(hint);

    assertThat(LeakReportGuard.detectLeaks())
        .singleElement()
        .satisfies(
            report -> {
              assertThat(report.resourceType()).isEqualTo("ByteBuf");
              assertThat(report.records()).contains(hint);
            });
  }

  @Test
  void reportsNothingWhenEveryBufferIsReleased() {
    ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(64);
    buffer.writeLong(42).release();

    assertThat(LeakReportGuard.detectLeaks()).isEmpty();
  }

  @Test
  void forgetsWhatItReturned() {
    leakDirectBuffer("leaked once");
    assertThat(LeakReportGuard.detectLeaks()).hasSize(1);

    assertThat(LeakReportGuard.detectLeaks()).isEmpty();
  }

  private static void leakDirectBuffer(String hint) {
    ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(7).touch(hint);
  }
}
