package dev.outrigger.benchmarks.harness;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The gRPC unary message the load generator sends and the upstream's reply, as length-prefixed frames. */
final class GrpcFrames {
  static final int REQUEST_MESSAGE_BYTES = 128;
  private static final int PREFIX_BYTES = 5;

  private GrpcFrames() {}

  /** Uncompressed frame of {@code messageBytes} filler bytes (the upstream never decodes it). */
  static ByteBuf frame(int messageBytes) {
    ByteBuf frame = Unpooled.buffer(PREFIX_BYTES + messageBytes);
    frame.writeByte(0).writeInt(messageBytes).writeZero(messageBytes);
    return frame;
  }

  /** The empty reply message the upstream serves: a 5-byte frame announcing zero bytes. */
  static byte[] emptyReply() {
    return new byte[PREFIX_BYTES];
  }
}
