package dev.outrigger.proxy.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The hand-made gRPC health messages against grpc-java's generated ones, and the verdict's edge cases. */
class GrpcHealthProbeTest {

  @Test
  void theRequestFrameIsAHealthCheckRequest() throws Exception {
    for (String service : new String[] {"", "orders", "ü".repeat(100)}) {
      byte[] frame = GrpcHealthProbe.frame(service);
      assertThat(frame[0]).as("uncompressed").isZero();
      assertThat(frame.length - 5).isEqualTo(((frame[1] & 0xff) << 24) | ((frame[2] & 0xff) << 16)
          | ((frame[3] & 0xff) << 8) | (frame[4] & 0xff));
      assertThat(HealthCheckRequest.parseFrom(Arrays.copyOfRange(frame, 5, frame.length)).getService()).isEqualTo(service);
    }
  }

  private static FullHttpResponse answer(byte[] message, String grpcStatus, boolean inTrailers) {
    byte[] frame = new byte[5 + message.length];
    frame[4] = (byte) message.length;
    System.arraycopy(message, 0, frame, 5, message.length);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(frame));
    (inTrailers ? response.trailingHeaders() : response.headers()).set("grpc-status", grpcStatus);
    return response;
  }

  private static byte[] status(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray();
  }

  @Test
  void servingIsHealthyAndEveryOtherAnswerIsNot() {
    assertThat(GrpcHealthProbe.judge(answer(status(ServingStatus.SERVING), "0", true))).isEqualTo(ProbeResult.HEALTHY);
    assertThat(GrpcHealthProbe.judge(answer(status(ServingStatus.NOT_SERVING), "0", true))).isEqualTo(ProbeResult.UNHEALTHY);
    assertThat(GrpcHealthProbe.judge(answer(new byte[0], "0", true))).as("UNKNOWN, the default").isEqualTo(ProbeResult.UNHEALTHY);
    assertThat(GrpcHealthProbe.judge(answer(new byte[0], "5", false))).as("trailers-only NOT_FOUND").isEqualTo(ProbeResult.UNHEALTHY);
  }

  @Test
  void aGarbledAnswerIsANetworkFailure() {
    FullHttpResponse truncated = answer(status(ServingStatus.SERVING), "0", true);
    truncated.content().writerIndex(truncated.content().writerIndex() - 1);
    assertThat(GrpcHealthProbe.judge(truncated)).isEqualTo(ProbeResult.NETWORK_FAILURE);
    assertThat(GrpcHealthProbe.judge(answer(new byte[] {(byte) 0x08}, "0", true))).isEqualTo(ProbeResult.NETWORK_FAILURE);
  }
}
