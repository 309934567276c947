package dev.outrigger.proxy.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/** Test bodies made on the fly (never held in memory), and their checksums. */
final class GeneratedBody {
  private GeneratedBody() {}

  /** The same bytes TestUpstream's /bytes/N produces. */
  static InputStream stream(long length) {
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < length ? TestUpstream.generatedByte(position++) & 0xFF : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int max) {
        if (position >= length) {
          return -1;
        }
        int n = (int) Math.min(max, length - position);
        for (int i = 0; i < n; i++) {
          buffer[offset + i] = TestUpstream.generatedByte(position++);
        }
        return n;
      }
    };
  }

  static long crc(long length) throws IOException {
    return crcOf(stream(length));
  }

  /** Reads {@code in} to its end; "length crc", as TestUpstream's /sink answers. */
  static String lengthAndCrc(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[64 * 1024];
    long length = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      crc.update(buffer, 0, n);
      length += n;
    }
    return length + " " + crc.getValue();
  }

  private static long crcOf(InputStream in) throws IOException {
    return Long.parseLong(lengthAndCrc(in).split(" ")[1]);
  }
}
