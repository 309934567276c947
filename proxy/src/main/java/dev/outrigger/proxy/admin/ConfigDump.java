package dev.outrigger.proxy.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.outrigger.proxy.authz.Permission;
import dev.outrigger.proxy.authz.Principal;
import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.config.NetworkFilterConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.xds.XdsStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * {@code /config_dump}: the running {@link ProxyConfig} as JSON, with Envoy's snake_case names.
 * Variants of a sealed type carry their record name in {@code @type}; durations print as
 * protobuf JSON does ({@code "1.5s"}); private keys never leave the process.
 */
final class ConfigDump {
  static final String REDACTED = "[redacted]";

  private final ObjectMapper mapper;

  ConfigDump() {
    SimpleModule types = new SimpleModule("outrigger-config");
    types.addSerializer(Optional.class, new OptionalSerializer());
    types.addSerializer(OptionalInt.class, new OptionalIntSerializer());
    types.addSerializer(Duration.class, new DurationSerializer());
    types.addSerializer(Path.class, ToStringSerializer.instance);
    types.addSerializer(Instant.class, ToStringSerializer.instance);
    types.addSerializer(Pattern.class, ToStringSerializer.instance);
    types.addSerializer(CertificateKeyPair.class, new CertificateSerializer());
    this.mapper =
        new ObjectMapper()
            .registerModule(types)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addMixIn(NetworkFilterConfig.class, Typed.class)
            .addMixIn(RouteAction.class, Typed.class)
            .addMixIn(RouteMatchConfig.PathMatch.class, Typed.class)
            .addMixIn(StringMatcher.class, Typed.class)
            .addMixIn(AccessLogConfig.Format.class, Typed.class)
            .addMixIn(Principal.class, Typed.class)
            .addMixIn(Permission.class, Typed.class)
            .addMixIn(HealthCheckConfig.Probe.class, Typed.class)
            .addMixIn(HeaderMutations.class, HeaderMutationsMixIn.class);
  }

  /** The document: which config version, the xDS client's state (null without one), then the config. */
  private record Dump(String versionInfo, Optional<XdsStatus> xds, ProxyConfig config) {}

  String json(ProxyConfig config, String versionInfo, Optional<XdsStatus> xds) {
    try {
      return mapper.writeValueAsString(new Dump(versionInfo, xds, config)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config does not serialize", e);
    }
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "@type")
  private interface Typed {}

  /** {@code isEmpty()} is a convenience, not part of the config. */
  @JsonIgnoreProperties("empty")
  private interface HeaderMutationsMixIn {}

  @SuppressWarnings("rawtypes")
  private static final class OptionalSerializer extends JsonSerializer<Optional> {
    @Override
    public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (value.isPresent()) {
        provider.defaultSerializeValue(value.get(), gen);
      } else {
        gen.writeNull();
      }
    }
  }

  private static final class OptionalIntSerializer extends JsonSerializer<OptionalInt> {
    @Override
    public void serialize(OptionalInt value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (value.isPresent()) {
        gen.writeNumber(value.getAsInt());
      } else {
        gen.writeNull();
      }
    }
  }

  private static final class DurationSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(value.toMillis() % 1000 == 0 ? value.toSeconds() + "s" : value.toMillis() / 1000.0 + "s");
    }
  }

  private static final class CertificateSerializer extends JsonSerializer<CertificateKeyPair> {
    @Override
    public void serialize(CertificateKeyPair value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartObject();
      gen.writeStringField("certificate_chain", value.certificateChainPem());
      gen.writeStringField("private_key", REDACTED);
      gen.writeEndObject();
    }
  }
}
