package dev.outrigger.proxy.accesslog;

import dev.outrigger.proxy.stream.StreamInfo;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code %START_TIME(FORMAT)%}: the start time in UTC, formatted by a subset of strftime compiled
 * once. Supported: {@code %Y %y %m %d %e %H %M %S %j %a %b %F %T %z %Z %s %%}, and Envoy's
 * fractional seconds {@code %Nf} (N digits, 1 to 9) and {@code %ENS} (seconds with N decimals).
 * Time comes with millisecond precision, so digits past the third are zero.
 */
final class StartTimeFormat implements Field {
  /** Envoy's format for a bare {@code %START_TIME%}. */
  static final String ENVOY_DEFAULT = "%Y-%m-%dT%H:%M:%E3SZ";

  /** One compiled piece of the format. */
  @FunctionalInterface
  private interface Piece {
    void appendTo(StringBuilder out, LocalDateTime time, long epochMillis);
  }

  private final Piece[] pieces;

  private StartTimeFormat(List<Piece> pieces) {
    this.pieces = pieces.toArray(Piece[]::new);
  }

  static StartTimeFormat compile(String format) {
    List<Piece> pieces = new ArrayList<>();
    int i = 0;
    while (i < format.length()) {
      int percent = format.indexOf('%', i);
      if (percent != i) {
        String literal = format.substring(i, percent < 0 ? format.length() : percent);
        pieces.add((out, time, millis) -> out.append(literal));
        i += literal.length();
        continue;
      }
      int specifierStart = i;
      i++;
      int digits = 0;
      boolean extended = i < format.length() && format.charAt(i) == 'E';
      if (extended) {
        i++;
      }
      if (i < format.length() && Character.isDigit(format.charAt(i))) {
        digits = format.charAt(i) - '0';
        i++;
      }
      if (i >= format.length()) {
        throw unsupported(format, specifierStart, format.length());
      }
      char conversion = format.charAt(i);
      i++;
      Piece piece = piece(extended, digits, conversion);
      if (piece == null) {
        throw unsupported(format, specifierStart, i);
      }
      pieces.add(piece);
    }
    return new StartTimeFormat(pieces);
  }

  private static Piece piece(boolean extended, int digits, char conversion) {
    if (extended) {
      // %E<n>S: seconds and n decimals.
      return conversion == 'S' && digits >= 1 && digits <= 9
          ? (out, t, ms) -> fraction(padded(out, t.getSecond(), 2).append('.'), ms, digits)
          : null;
    }
    if (digits > 0) {
      return conversion == 'f' ? (out, t, ms) -> fraction(out, ms, digits) : null;
    }
    switch (conversion) {
      case 'Y':
        return (out, t, ms) -> out.append(t.getYear());
      case 'y':
        return (out, t, ms) -> padded(out, t.getYear() % 100, 2);
      case 'm':
        return (out, t, ms) -> padded(out, t.getMonthValue(), 2);
      case 'd':
        return (out, t, ms) -> padded(out, t.getDayOfMonth(), 2);
      case 'e':
        return (out, t, ms) -> out.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
      case 'H':
        return (out, t, ms) -> padded(out, t.getHour(), 2);
      case 'M':
        return (out, t, ms) -> padded(out, t.getMinute(), 2);
      case 'S':
        return (out, t, ms) -> padded(out, t.getSecond(), 2);
      case 'j':
        return (out, t, ms) -> padded(out, t.getDayOfYear(), 3);
      case 'a':
        return (out, t, ms) -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
      case 'b':
        return (out, t, ms) -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
      case 'F':
        return (out, t, ms) ->
            padded(padded(out.append(t.getYear()).append('-'), t.getMonthValue(), 2).append('-'), t.getDayOfMonth(), 2);
      case 'T':
        return (out, t, ms) ->
            padded(padded(padded(out, t.getHour(), 2).append(':'), t.getMinute(), 2).append(':'), t.getSecond(), 2);
      case 'z':
        return (out, t, ms) -> out.append("+0000");
      case 'Z':
        return (out, t, ms) -> out.append("UTC");
      case 's':
        return (out, t, ms) -> out.append(Math.floorDiv(ms, 1000));
      case '%':
        return (out, t, ms) -> out.append('%');
      default:
        return null;
    }
  }

  private static StringBuilder padded(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }

  /** The first {@code digits} decimals of the second; past milliseconds they are zeros. */
  private static StringBuilder fraction(StringBuilder out, long epochMillis, int digits) {
    String millis = padded(new StringBuilder(3), (int) Math.floorMod(epochMillis, 1000), 3).toString();
    for (int i = 0; i < digits; i++) {
      out.append(i < 3 ? millis.charAt(i) : '0');
    }
    return out;
  }

  private static IllegalArgumentException unsupported(String format, int start, int end) {
    return new IllegalArgumentException(
        "unsupported START_TIME format specifier " + format.substring(start, end) + " in \"" + format + "\"");
  }

  String format(long epochMillis) {
    LocalDateTime time =
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(epochMillis, 1000), (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(32);
    for (Piece piece : pieces) {
      piece.appendTo(out, time, epochMillis);
    }
    return out.toString();
  }

  @Override
  public Object value(StreamInfo info) {
    return format(info.startEpochMillis());
  }
}
