package dev.outrigger.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * A body of any size generated while it is read, never held: 64 KiB blocks of seeded noise, each
 * stamped with its index so that a lost, repeated or reordered block changes the checksum. Two
 * seeds give two different streams, so bytes that went the wrong way cannot pass for the right
 * ones. Keeps the {@link Digest} of what it has handed out.
 */
final class Payload extends InputStream {
  private static final int BLOCK = 64 * 1024;

  private final long size;
  private final byte[] block = new byte[BLOCK];
  private final ByteBuffer stamp = ByteBuffer.wrap(block);
  private final CRC32 crc = new CRC32();
  private long position;

  Payload(long size, long seed) {
    this.size = size;
    new Random(seed).nextBytes(block);
  }

  long size() {
    return size;
  }

  /** Count and CRC-32 of the bytes read (or written) so far. */
  Digest digest() {
    return new Digest(position, crc.getValue());
  }

  /** Writes the whole payload to {@code out}, and returns its digest. */
  Digest writeTo(OutputStream out) throws IOException {
    byte[] buffer = new byte[BLOCK];
    for (int n; (n = read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
    }
    return digest();
  }

  @Override
  public int read(byte[] into, int offset, int length) {
    if (position == size) {
      return -1;
    }
    int inBlock = (int) (position % BLOCK);
    if (inBlock == 0) {
      stamp.putLong(0, position / BLOCK);
    }
    int n = (int) Math.min(Math.min(length, BLOCK - inBlock), size - position);
    System.arraycopy(block, inBlock, into, offset, n);
    crc.update(into, offset, n);
    position += n;
    return n;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }
}
