package dev.outrigger.controlplane.model.file;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The value formats of Kubernetes and Gateway API that more than one kind uses, checked in place. */
final class Syntax {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");
  /** Gateway API's Duration: one to four of {@code 1h}, {@code 30m}, {@code 5s}, {@code 250ms}. */
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,5}(h|m|s|ms)){1,4}");
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");
  /** Constructs java.util.regex has and RE2 (Envoy's safe_regex) lacks: lookaround, atomic groups, backreferences. */
  private static final Pattern NOT_RE2 = Pattern.compile("\\(\\?<?[=!]|\\(\\?>|\\\\[1-9]|\\\\k<");

  private Syntax() {}

  /** A namespace, Service or port name: an RFC 1123 label. */
  static String label(Fields fields, String key, String value) {
    if (!value.isEmpty() && (value.length() > 63 || !DNS_LABEL.matcher(value).matches())) {
      fields.problem(key, "must be a DNS label (lower-case letters, digits and '-', at most 63)");
    }
    return value;
  }

  /** A resource name or host name: an RFC 1123 subdomain. */
  static String subdomain(Fields fields, String key, String value) {
    if (!value.isEmpty() && (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches())) {
      fields.problem(key, "must be a DNS subdomain (lower-case letters, digits, '-' and '.')");
    }
    return value;
  }

  static String headerName(Fields fields, String key, String value) {
    if (!value.isEmpty() && !HEADER_NAME.matcher(value).matches()) {
      fields.problem(key, "must be an HTTP header name");
    }
    return value;
  }

  /** A regular expression both java.util.regex and RE2 accept, so that Envoy takes it too. */
  static String regex(Fields fields, String key, String value) {
    try {
      Pattern.compile(value);
      if (NOT_RE2.matcher(value).find()) {
        fields.problem(key, "lookarounds, atomic groups and backreferences are not supported (RE2 syntax)");
      }
    } catch (PatternSyntaxException e) {
      fields.problem(key, "invalid regular expression: " + e.getDescription());
    }
    return value;
  }

  static String absolutePath(Fields fields, String key, String value) {
    if (!value.startsWith("/")) {
      fields.problem(key, "must start with /");
    }
    return value;
  }

  static Optional<Duration> duration(Fields fields, String key) {
    Optional<String> text = fields.string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (!DURATION.matcher(text.get()).matches()) {
      fields.problem(key, "must be a duration like 1h, 30m, 10s, 250ms or 1m30s, not \""
          + text.get() + "\"");
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = DURATION_PART.matcher(text.get());
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      switch (part.group(2)) {
        case "h":
          total = total.plusHours(amount);
          break;
        case "m":
          total = total.plusMinutes(amount);
          break;
        case "s":
          total = total.plusSeconds(amount);
          break;
        default:
          total = total.plusMillis(amount);
      }
    }
    return Optional.of(total);
  }
}
