package dev.outrigger.proxy.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Durations on the command line: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or ISO-8601. */
final class DurationOption {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

  private DurationOption() {}

  static Duration parse(String text, String option, CommandSpec spec) {
    Matcher matcher = SHORT.matcher(text);
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
          case "ms":
            return Duration.ofMillis(amount);
          case "s":
            return Duration.ofSeconds(amount);
          case "m":
            return Duration.ofMinutes(amount);
          default:
            return Duration.ofHours(amount);
        }
      }
      Duration duration = Duration.parse(text);
      if (!duration.isNegative()) {
        return duration;
      }
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      // reported below with the accepted forms
    }
    throw new ParameterException(spec.commandLine(),
        option + ": invalid duration '" + text + "' (expected e.g. 500ms, 10s, 2m, 1h)");
  }
}
