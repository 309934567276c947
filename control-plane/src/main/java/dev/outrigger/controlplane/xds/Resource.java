package dev.outrigger.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One named xDS resource, packed as it goes on the wire, with its version: a hash of its
 * content, so the same content has the same version in every proxy and after a restart.
 */
public record Resource(ResourceType type, String name, Any body, String version) {

  /** Packs {@code message}, one of the {@link ResourceType} messages, and versions it. */
  public static Resource of(Message message) {
    ResourceType type = ResourceType.ofMessage(message).orElseThrow(() -> new IllegalArgumentException(
        message.getDescriptorForType().getFullName() + " is not an xDS resource type"));
    String name = type.nameOf(message);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a " + message.getDescriptorForType().getName() + " without a name");
    }
    ByteString bytes = deterministicBytes(message);
    Any body = Any.newBuilder().setTypeUrl(type.typeUrl()).setValue(bytes).build();
    return new Resource(type, name, body, Versions.hash(bytes.toByteArray()));
  }

  /** Map entries in a fixed order, so equal content always hashes alike. */
  private static ByteString deterministicBytes(Message message) {
    ByteString.Output bytes = ByteString.newOutput(message.getSerializedSize());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      message.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    return bytes.toByteString();
  }

  /** Short content hashes for resources and for whole responses. */
  static final class Versions {
    private Versions() {}

    static String hash(byte[] content) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
        return HexFormat.of().formatHex(digest, 0, 8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}
