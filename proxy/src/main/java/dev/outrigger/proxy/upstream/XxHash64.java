package dev.outrigger.proxy.upstream;

import java.nio.charset.StandardCharsets;

/**
 * XXH64, the hash Envoy uses for ring hash and Maglev keys and for request hashes, so that a key
 * lands where it would in Envoy. Written from the algorithm's specification (nothing on the
 * classpath provides it).
 */
public final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private XxHash64() {}

  /** The hash of {@code text}'s UTF-8 bytes. */
  public static long hash(String text, long seed) {
    return hash(text.getBytes(StandardCharsets.UTF_8), seed);
  }

  public static long hash(byte[] input, long seed) {
    int length = input.length;
    int offset = 0;
    long hash;
    if (length >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      for (int limit = length - 32; offset <= limit; offset += 32) {
        v1 = round(v1, longAt(input, offset));
        v2 = round(v2, longAt(input, offset + 8));
        v3 = round(v3, longAt(input, offset + 16));
        v4 = round(v4, longAt(input, offset + 24));
      }
      hash = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      hash = merge(hash, v1);
      hash = merge(hash, v2);
      hash = merge(hash, v3);
      hash = merge(hash, v4);
    } else {
      hash = seed + P5;
    }
    hash += length;
    for (; offset + 8 <= length; offset += 8) {
      hash ^= round(0, longAt(input, offset));
      hash = Long.rotateLeft(hash, 27) * P1 + P4;
    }
    if (offset + 4 <= length) {
      hash ^= (intAt(input, offset) & 0xFFFFFFFFL) * P1;
      hash = Long.rotateLeft(hash, 23) * P2 + P3;
      offset += 4;
    }
    for (; offset < length; offset++) {
      hash ^= (input[offset] & 0xFFL) * P5;
      hash = Long.rotateLeft(hash, 11) * P1;
    }
    hash ^= hash >>> 33;
    hash *= P2;
    hash ^= hash >>> 29;
    hash *= P3;
    hash ^= hash >>> 32;
    return hash;
  }

  private static long round(long accumulator, long lane) {
    return Long.rotateLeft(accumulator + lane * P2, 31) * P1;
  }

  private static long merge(long hash, long accumulator) {
    return (hash ^ round(0, accumulator)) * P1 + P4;
  }

  private static long longAt(byte[] b, int i) {
    return (b[i] & 0xFFL)
        | (b[i + 1] & 0xFFL) << 8
        | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24
        | (b[i + 4] & 0xFFL) << 32
        | (b[i + 5] & 0xFFL) << 40
        | (b[i + 6] & 0xFFL) << 48
        | (b[i + 7] & 0xFFL) << 56;
  }

  private static int intAt(byte[] b, int i) {
    return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
  }
}
