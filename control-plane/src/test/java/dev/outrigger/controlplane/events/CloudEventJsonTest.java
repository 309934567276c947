package dev.outrigger.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The CloudEvents 1.0 JSON format, both ways, against the rules of its sections 2 and 3. */
class CloudEventJsonTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final CloudEvent EVENT = new CloudEvent("6d1b", "//outrigger/control-plane",
      "dev.outrigger.config.nacked", "sidecar-1", Instant.parse("2026-11-29T17:01:49.123Z"),
      JsonNodeFactory.instance.objectNode().put("node", "sidecar-1").put("message", "line\nbreak"));

  @Test
  void writesTheAttributesAsTopLevelMembersAndTheDataAsAJsonValue() throws Exception {
    String line = CloudEventJson.write(EVENT);

    assertThat(line).doesNotContain("\n");
    assertThat(JSON.readTree(line)).isEqualTo(JSON.readTree("""
        {"specversion": "1.0", "id": "6d1b", "source": "//outrigger/control-plane",
         "type": "dev.outrigger.config.nacked", "subject": "sidecar-1",
         "time": "2026-11-29T17:01:49.123Z", "datacontenttype": "application/json",
         "data": {"node": "sidecar-1", "message": "line\\nbreak"}}
        """));
  }

  @Test
  void leavesOutWhatIsUnset() throws Exception {
    CloudEvent bare = new CloudEvent("1", "/s", "t", null, Instant.parse("2026-01-02T03:04:05Z"), null);

    assertThat(JSON.readTree(CloudEventJson.write(bare))).isEqualTo(JSON.readTree("""
        {"specversion": "1.0", "id": "1", "source": "/s", "type": "t", "time": "2026-01-02T03:04:05Z"}
        """));
  }

  @Test
  void readsBackWhatItWrites() {
    assertThat(CloudEventJson.read(CloudEventJson.write(EVENT))).isEqualTo(EVENT);
  }

  @Test
  void readsAnyRfc3339TimeAndTakesNullAsAbsentAndSkipsExtensions() {
    CloudEvent event = CloudEventJson.read("""
        {"specversion": "1.0", "id": "A234-1234-1234", "source": "/mycontext", "type": "com.example.someevent",
         "subject": null, "time": "2018-04-05t19:31:00.5+02:00", "comexampleextension1": "value",
         "unsetextension": null, "data": [1, "two"]}
        """);

    assertThat(event.subject()).isNull();
    assertThat(event.time()).isEqualTo(Instant.parse("2018-04-05T17:31:00.500Z"));
    assertThat(event.data()).isEqualTo(JSON.createArrayNode().add(1).add("two"));
  }

  @Test
  void takesJsonDataOfAnyJsonContentTypeAndAStringAsAString() {
    JsonNode data = CloudEventJson.read("""
        {"specversion": "1.0", "id": "1", "source": "/s", "type": "t", "time": "2026-01-02T03:04:05Z",
         "datacontenttype": "application/vnd.example+json; charset=utf-8", "data": "{\\"not\\": \\"parsed\\"}"}
        """).data();

    assertThat(data.isTextual()).isTrue();
    assertThat(data.asText()).isEqualTo("{\"not\": \"parsed\"}");
  }

  @Test
  void refusesWhatACloudEventOfOursCannotCarryNamingTheMember() {
    String valid = """
        "id": "1", "source": "/s", "type": "t", "time": "2026-01-02T03:04:05Z"
        """;
    assertRefused("{" + valid + "}", "specversion: missing");
    assertRefused("{\"specversion\": \"0.3\", " + valid + "}", "specversion: 0.3 is not supported");
    assertRefused("{\"specversion\": \"1.0\", \"id\": \"\", \"source\": \"/s\", \"type\": \"t\","
        + " \"time\": \"2026-01-02T03:04:05Z\"}", "id: must not be empty");
    assertRefused("{\"specversion\": \"1.0\", \"id\": 7, \"source\": \"/s\", \"type\": \"t\","
        + " \"time\": \"2026-01-02T03:04:05Z\"}", "id: must be a string, not NUMBER");
    assertRefused("{\"specversion\": \"1.0\", \"id\": \"1\", \"type\": \"t\", \"time\": \"2026-01-02T03:04:05Z\"}",
        "source: missing");
    assertRefused("{\"specversion\": \"1.0\", \"id\": \"1\", \"source\": \"/s\", \"type\": \"t\","
        + " \"time\": \"2026-01-02 03:04\"}", "time: 2026-01-02 03:04 is not an RFC 3339 timestamp");
    assertRefused("{\"specversion\": \"1.0\", " + valid + ", \"data_base64\": \"AAEC\"}",
        "data_base64: binary data is not supported");
    assertRefused("{\"specversion\": \"1.0\", " + valid + ", \"datacontenttype\": \"text/xml\", \"data\": \"<a/>\"}",
        "datacontenttype: text/xml is not JSON");
    assertRefused("{\"specversion\": \"1.0\", \"id\": \"1\", \"source\": \"/s\", \"type\": \"t\"}",
        "time: missing");
    assertRefused("[]", "a CloudEvent is a JSON object");
    assertRefused("{", "not JSON");
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> CloudEventJson.read(json))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }
}
