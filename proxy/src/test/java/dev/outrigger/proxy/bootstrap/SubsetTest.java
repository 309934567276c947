package dev.outrigger.proxy.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SubsetTest {
  @Test
  void everyAllowedFieldIsDocumented() throws IOException {
    String doc = Files.readString(Path.of("../docs/envoy-subset.md"));
    List<String> undocumented = Subset.SUPPORTED.allowedFields().stream()
        .map(FieldDescriptor::getName)
        .distinct()
        .filter(name -> !doc.contains(name))
        .sorted()
        .collect(Collectors.toList());
    assertThat(undocumented).as("fields allowed by Subset but absent from docs/envoy-subset.md").isEmpty();
  }
}
