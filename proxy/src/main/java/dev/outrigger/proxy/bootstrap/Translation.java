package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What every translator shares while turning one document into config records: the problem sink,
 * the conversions that can fail (durations, regexes, data sources), and the cluster references
 * that can only be checked once every cluster is known.
 */
final class Translation {
  private final Problems problems;
  private final List<ClusterReference> clusterReferences = new ArrayList<>();
  private StaticSecrets staticSecrets = StaticSecrets.NONE;
  private Optional<Map<String, Named<RouteConfiguration>>> routeConfigurations = Optional.empty();
  private final Set<String> awaitedRoutes = new TreeSet<>();

  private record ClusterReference(String cluster, FieldPath path) {}

  Translation(Problems problems) {
    this.problems = problems;
  }

  void error(FieldPath path, String message) {
    problems.add(path, message);
  }

  Optional<String> nonEmpty(String value, FieldPath path) {
    if (value.isEmpty()) {
      error(path, "must not be empty");
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /**
   * Reports that {@code path} lacks one member of a oneof, unless the subset check already removed
   * the member it had (then that rejection said it).
   */
  void oneOfRequired(FieldPath path, String message) {
    if (!problems.rejectedEarlierWithin(path)) {
      error(path, message);
    }
  }

  /** Errors reported so far, so a step can tell whether its inputs were clean. */
  int errorCount() {
    return problems.count();
  }

  /** A duration that must not be negative; zero usually means "disabled", as in Envoy. */
  Duration duration(com.google.protobuf.Duration value, FieldPath path) {
    Duration duration = Duration.ofSeconds(value.getSeconds(), value.getNanos());
    if (duration.isNegative()) {
      error(path, "must not be negative");
      return Duration.ZERO;
    }
    return duration;
  }

  /** A duration that must be greater than zero. */
  Duration positiveDuration(com.google.protobuf.Duration value, FieldPath path) {
    Duration duration = Duration.ofSeconds(value.getSeconds(), value.getNanos());
    if (duration.isNegative() || duration.isZero()) {
      error(path, "must be greater than zero");
    }
    return duration;
  }

  /**
   * Compiles an Envoy {@code safe_regex} with java.util.regex. RE2 syntax is nearly a subset of
   * Java's; the one common spelling Java lacks, named groups as {@code (?P<name>...)}, is rewritten
   * to Java's {@code (?<name>...)}. See docs/envoy-subset.md.
   */
  Optional<Pattern> regex(RegexMatcher matcher, FieldPath path) {
    if (matcher.getRegex().isEmpty()) {
      error(path.field("regex"), "required");
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(matcher.getRegex().replace("(?P<", "(?<")));
    } catch (PatternSyntaxException e) {
      error(path.field("regex"), "invalid regex " + quote(matcher.getRegex()) + ": "
          + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
      return Optional.empty();
    }
  }

  /** The text of a {@code DataSource}: inline, or read from the named file now. */
  Optional<String> text(DataSource source, FieldPath path) {
    switch (source.getSpecifierCase()) {
      case INLINE_STRING:
        return Optional.of(source.getInlineString());
      case INLINE_BYTES:
        return Optional.of(source.getInlineBytes().toString(StandardCharsets.UTF_8));
      case FILENAME:
        return readFile(source.getFilename(), path.field("filename"));
      default:
        error(path, "one of inline_string, inline_bytes, filename is required");
        return Optional.empty();
    }
  }

  private Optional<String> readFile(String name, FieldPath path) {
    try {
      return Optional.of(Files.readString(Path.of(name), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      error(path, "cannot read " + name + ": no such file");
    } catch (AccessDeniedException e) {
      error(path, "cannot read " + name + ": permission denied");
    } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
      error(path, "cannot read " + name + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  /** The typed config inside {@code any}; the subset check has already vetted its type. */
  <T extends Message> Optional<T> unpack(Any any, Class<T> type, FieldPath path) {
    if (any.getTypeUrl().isEmpty()) {
      error(path, "required");
      return Optional.empty();
    }
    try {
      return Optional.of(any.unpack(type));
    } catch (InvalidProtocolBufferException e) {
      error(path, "cannot decode " + type.getSimpleName() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Notes that {@code path} names {@code cluster}; checked by {@link #checkClusterReferences}. */
  void referCluster(String cluster, FieldPath path) {
    if (cluster.isEmpty()) {
      error(path, "required");
    } else {
      clusterReferences.add(new ClusterReference(cluster, path));
    }
  }

  void checkClusterReferences(Set<String> clusters) {
    for (ClusterReference reference : clusterReferences) {
      if (!clusters.contains(reference.cluster())) {
        error(reference.path(), "unknown cluster " + quote(reference.cluster()));
      }
    }
  }

  /** The referenced clusters not among {@code clusters}: what an xDS config still waits for. */
  Set<String> unknownClusters(Set<String> clusters) {
    Set<String> unknown = new TreeSet<>();
    for (ClusterReference reference : clusterReferences) {
      if (!clusters.contains(reference.cluster())) {
        unknown.add(reference.cluster());
      }
    }
    return unknown;
  }

  /** Declares the route configurations that {@code rds} may name (from RDS), with their paths. */
  void routeConfigurations(Map<String, Named<RouteConfiguration>> routes) {
    this.routeConfigurations = Optional.of(Map.copyOf(routes));
  }

  /**
   * The route configuration {@code rds} at {@code path} names. Empty when it has not arrived (noted
   * in {@link #awaitedRoutes}) or when routes have no dynamic source (an error).
   */
  Optional<Named<RouteConfiguration>> routeConfiguration(String name, FieldPath path) {
    if (routeConfigurations.isEmpty()) {
      error(path, "not supported in static_resources: rds works in listeners from LDS");
      return Optional.empty();
    }
    Named<RouteConfiguration> found = routeConfigurations.get().get(name);
    if (found == null) {
      awaitedRoutes.add(name);
    }
    return Optional.ofNullable(found);
  }

  Set<String> awaitedRoutes() {
    return awaitedRoutes;
  }

  /** A resource and the path its problems are reported at. */
  record Named<T>(T resource, FieldPath path) {}

  /** Declares {@code static_resources.secrets}, before any TLS context refers to them. */
  void staticSecrets(StaticSecrets secrets) {
    this.staticSecrets = secrets;
  }

  StaticSecrets staticSecrets() {
    return staticSecrets;
  }

  /** Proto3 strings have no presence: empty means unset. */
  static Optional<String> ifSet(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  static String quote(String value) {
    return "\"" + value + "\"";
  }
}
