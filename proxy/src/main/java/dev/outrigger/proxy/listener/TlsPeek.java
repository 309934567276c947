package dev.outrigger.proxy.listener;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tls_inspector's reading of the first bytes: whether they start a TLS handshake and, if so,
 * the SNI and ALPN offers of its ClientHello. Reads the buffer without moving its indices.
 */
record TlsPeek(Status status, Optional<String> serverName, List<String> alpn) {

  enum Status {
    NEED_MORE,
    NOT_TLS,
    TLS
  }

  /** A ClientHello larger than this is taken as TLS without SNI or ALPN (Envoy's default bound). */
  static final int MAX_CLIENT_HELLO_BYTES = 16 * 1024;

  static final TlsPeek NEED_MORE = new TlsPeek(Status.NEED_MORE, Optional.empty(), List.of());
  static final TlsPeek NOT_TLS = new TlsPeek(Status.NOT_TLS, Optional.empty(), List.of());
  private static final TlsPeek TLS_UNREADABLE = new TlsPeek(Status.TLS, Optional.empty(), List.of());

  private static final int RECORD_HEADER = 5;
  private static final int HANDSHAKE_HEADER = 4;
  private static final byte CONTENT_HANDSHAKE = 22;
  private static final byte CLIENT_HELLO = 1;
  private static final int EXTENSION_SERVER_NAME = 0;
  private static final int EXTENSION_ALPN = 16;

  static TlsPeek of(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    if (end - start < 1) {
      return NEED_MORE;
    }
    if (in.getByte(start) != CONTENT_HANDSHAKE || (end - start >= 2 && in.getByte(start + 1) != 3)) {
      return NOT_TLS;
    }
    // The ClientHello may span records; its bytes are gathered (a small copy for parsing only, the
    // connection's own buffers are replayed untouched).
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    int offset = start;
    while (true) {
      if (end - offset < RECORD_HEADER) {
        return NEED_MORE;
      }
      if (in.getByte(offset) != CONTENT_HANDSHAKE) {
        return TLS_UNREADABLE;
      }
      int recordLength = in.getUnsignedShort(offset + 3);
      if (end - offset - RECORD_HEADER < recordLength) {
        return NEED_MORE;
      }
      byte[] fragment = new byte[recordLength];
      in.getBytes(offset + RECORD_HEADER, fragment);
      message.writeBytes(fragment);
      offset += RECORD_HEADER + recordLength;
      if (message.size() >= HANDSHAKE_HEADER) {
        byte[] bytes = message.toByteArray();
        if (bytes[0] != CLIENT_HELLO) {
          return NOT_TLS;
        }
        int length = ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        if (length > MAX_CLIENT_HELLO_BYTES) {
          return TLS_UNREADABLE;
        }
        if (bytes.length >= HANDSHAKE_HEADER + length) {
          return clientHello(ByteBuffer.wrap(bytes, HANDSHAKE_HEADER, length).slice());
        }
      }
    }
  }

  private static TlsPeek clientHello(ByteBuffer hello) {
    try {
      skip(hello, 2 + 32); // legacy_version, random
      skip(hello, hello.get() & 0xff); // session id
      skip(hello, hello.getShort() & 0xffff); // cipher suites
      skip(hello, hello.get() & 0xff); // compression methods
      Optional<String> serverName = Optional.empty();
      List<String> alpn = List.of();
      if (!hello.hasRemaining()) {
        return new TlsPeek(Status.TLS, serverName, alpn);
      }
      ByteBuffer extensions = take(hello, hello.getShort() & 0xffff);
      while (extensions.hasRemaining()) {
        int type = extensions.getShort() & 0xffff;
        ByteBuffer data = take(extensions, extensions.getShort() & 0xffff);
        if (type == EXTENSION_SERVER_NAME) {
          serverName = hostName(data);
        } else if (type == EXTENSION_ALPN) {
          alpn = protocols(data);
        }
      }
      return new TlsPeek(Status.TLS, serverName, alpn);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      // Malformed: still TLS by its first bytes; the handshake itself will fail it.
      return TLS_UNREADABLE;
    }
  }

  private static Optional<String> hostName(ByteBuffer data) {
    ByteBuffer names = take(data, data.getShort() & 0xffff);
    while (names.hasRemaining()) {
      int nameType = names.get();
      ByteBuffer name = take(names, names.getShort() & 0xffff);
      if (nameType == 0) {
        return Optional.of(StandardCharsets.US_ASCII.decode(name).toString().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return Optional.empty();
  }

  private static List<String> protocols(ByteBuffer data) {
    ByteBuffer list = take(data, data.getShort() & 0xffff);
    List<String> protocols = new ArrayList<>();
    while (list.hasRemaining()) {
      protocols.add(StandardCharsets.US_ASCII.decode(take(list, list.get() & 0xff)).toString());
    }
    return List.copyOf(protocols);
  }

  private static void skip(ByteBuffer buffer, int bytes) {
    buffer.position(buffer.position() + bytes);
  }

  /** The next {@code length} bytes as their own buffer, consumed from {@code buffer}. */
  private static ByteBuffer take(ByteBuffer buffer, int length) {
    if (length > buffer.remaining()) {
      throw new BufferUnderflowException();
    }
    ByteBuffer slice = buffer.slice();
    slice.limit(length);
    skip(buffer, length);
    return slice;
  }
}
