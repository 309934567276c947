package dev.outrigger.controlplane.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Positive durations on the command line: {@code 100ms}, {@code 90s}, {@code 30m}, {@code 24h},
 * {@code 7d}, or ISO-8601.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String text) {
    Duration duration = null;
    Matcher matcher = SHORT.matcher(text);
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
          case "ms":
            duration = Duration.ofMillis(amount);
            break;
          case "s":
            duration = Duration.ofSeconds(amount);
            break;
          case "m":
            duration = Duration.ofMinutes(amount);
            break;
          case "h":
            duration = Duration.ofHours(amount);
            break;
          default:
            duration = Duration.ofDays(amount);
        }
      } else {
        duration = Duration.parse(text);
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // reported below with the accepted forms
    }
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new TypeConversionException(
          "invalid duration '" + text + "' (expected a positive 100ms, 90s, 30m, 24h, 7d or ISO-8601 PT1H)");
    }
    return duration;
  }
}
