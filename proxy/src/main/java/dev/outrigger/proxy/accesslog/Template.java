package dev.outrigger.proxy.accesslog;

import dev.outrigger.proxy.stream.StreamInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A format template compiled once into parts, so that a log line is a walk over a list and never
 * a parse. Syntax as Envoy's: {@code %OPERATOR%}, {@code %OPERATOR(ARG)%}, {@code
 * %OPERATOR(ARG):N%} (values cut to N characters), and {@code %%} for a literal percent sign.
 */
final class Template {
  private final Part[] parts;
  private final Field onlyField;

  private Template(List<Part> parts, Field onlyField) {
    this.parts = parts.toArray(Part[]::new);
    this.onlyField = onlyField;
  }

  /** Compiles {@code source}; throws {@link IllegalArgumentException} naming what is wrong. */
  static Template compile(String source) {
    List<Part> parts = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c != '%') {
        literal.append(c);
        i++;
      } else if (source.startsWith("%%", i)) {
        literal.append('%');
        i += 2;
      } else {
        if (literal.length() > 0) {
          parts.add(Part.literal(literal.toString()));
          literal.setLength(0);
        }
        i = compileOperator(source, i, fields);
        parts.add(Part.field(fields.get(fields.size() - 1)));
      }
    }
    if (literal.length() > 0) {
      parts.add(Part.literal(literal.toString()));
    }
    boolean onlyOneOperator = parts.size() == 1 && fields.size() == 1;
    return new Template(parts, onlyOneOperator ? fields.get(0) : null);
  }

  /**
   * Reads the operator that starts at {@code start} (a {@code %}), adds its field, and returns
   * where the text after it begins. The argument is read up to its closing parenthesis, since a
   * {@code START_TIME} format has percent signs of its own.
   */
  private static int compileOperator(String source, int start, List<Field> fields) {
    int i = start + 1;
    while (i < source.length() && isNameChar(source.charAt(i))) {
      i++;
    }
    String name = source.substring(start + 1, i);
    String argument = null;
    if (i < source.length() && source.charAt(i) == '(') {
      int close = source.indexOf(')', i);
      if (close < 0) {
        throw malformed(source, start);
      }
      argument = source.substring(i + 1, close);
      i = close + 1;
    }
    int maxLength = -1;
    if (i < source.length() && source.charAt(i) == ':') {
      int digits = ++i;
      while (i < source.length() && Character.isDigit(source.charAt(i))) {
        i++;
      }
      if (i == digits) {
        throw malformed(source, start);
      }
      maxLength = Integer.parseInt(source.substring(digits, i));
    }
    if (name.isEmpty() || i >= source.length() || source.charAt(i) != '%') {
      throw malformed(source, start);
    }
    Field field = CommandOperators.field(name, argument);
    fields.add(maxLength < 0 ? field : field.truncatedTo(maxLength));
    return i + 1;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static IllegalArgumentException malformed(String source, int start) {
    return new IllegalArgumentException(
        "malformed command operator at position " + start + " of access log format: "
            + source.substring(start));
  }

  void appendTo(StringBuilder line, StreamInfo info) {
    for (Part part : parts) {
      part.appendTo(line, info);
    }
  }

  /** The operator when the template is exactly one operator and nothing else, else null. */
  Field onlyField() {
    return onlyField;
  }
}
