package dev.outrigger.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * What went over one direction of a wire: the byte count and CRC-32, each end computing its own on
 * the fly, so that comparing the two proves the bytes arrived exact without holding them.
 */
record Digest(long bytes, long crc32) {
  private static final int BUFFER = 64 * 1024;

  /** Reads {@code in} to its end. */
  static Digest of(InputStream in) throws IOException {
    return of(in, Long.MAX_VALUE);
  }

  /** Reads {@code in} until its end or {@code limit} bytes, whichever comes first. */
  static Digest of(InputStream in, long limit) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[BUFFER];
    long bytes = 0;
    for (int n; bytes < limit && (n = in.read(buffer, 0, (int) Math.min(BUFFER, limit - bytes))) != -1; ) {
      crc.update(buffer, 0, n);
      bytes += n;
    }
    return new Digest(bytes, crc.getValue());
  }

  /** The inverse of {@link #toWire()}. */
  static Digest fromWire(String text) {
    String[] fields = text.strip().split(" ");
    if (fields.length != 2) {
      throw new IllegalArgumentException("not a digest: \"" + text + "\"");
    }
    return new Digest(Long.parseLong(fields[0]), Long.parseLong(fields[1], 16));
  }

  /** How an upstream tells the client what it received, in a response body. */
  String toWire() {
    return bytes + " " + Long.toHexString(crc32);
  }

  @Override
  public String toString() {
    return bytes + " bytes, crc32 " + Long.toHexString(crc32);
  }
}
