package dev.outrigger.controlplane.translate;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The nodes of the registered sidecars, one JSON line each, in a file of the state directory. A
 * restarted control plane reads them back so that the first sidecar to reconnect still gets its
 * peers as endpoints: without it, that sidecar would be pushed empty clusters until every peer
 * had reconnected, and its requests would fail meanwhile.
 */
public final class NodeJournal {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final Path file;

  public NodeJournal(Path file) {
    this.file = file;
  }

  /** The nodes last saved; none when there is no file yet. */
  List<Node> load() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<Node> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        Node.Builder node = Node.newBuilder();
        try {
          PARSER.merge(line, node);
        } catch (InvalidProtocolBufferException e) {
          throw new IOException(file + ": not a node: " + e.getMessage(), e);
        }
        nodes.add(node.build());
      }
    }
    return nodes;
  }

  /** Replaces the file's content with {@code nodes}, atomically: a crash leaves the old or the new list. */
  void save(Collection<Node> nodes) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (Node node : nodes) {
      lines.append(PRINTER.print(node)).append('\n');
    }
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, lines, StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
