package io.quell.engine.dialect;

import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's text form of a one-dimensional array, {@code {1,2}} or {@code {"a b",NULL,c}}:
 * elements between braces, separated by commas, each bare (blanks around it dropped, the word
 * {@code NULL} any case a null) or in double quotes with backslash escapes.
 */
final class PgArrayText {
  private PgArrayText() {
  }

  /**
   * {@code ARRAY[CAST(e AS element), ...]} of {@code elements} (a null for each NULL), which
   * must not be empty: Calcite has no empty array constructor.
   */
  static SqlNode constructor(List<String> elements, SqlDataTypeSpec element, SqlParserPos pos) {
    List<SqlNode> items = new ArrayList<>();
    for (String e : elements) {
      items.add(SqlStdOperatorTable.CAST.createCall(pos,
          e == null ? SqlLiteral.createNull(pos) : SqlLiteral.createCharString(e, pos), element));
    }
    return SqlStdOperatorTable.ARRAY_VALUE_CONSTRUCTOR.createCall(pos, items);
  }

  /** The elements of {@code text}, a null for each NULL; null if it is no such array. */
  static List<String> parse(String text) {
    String s = text.strip();
    if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
      return null;
    }
    List<String> elements = new ArrayList<>();
    int i = 1;
    int end = s.length() - 1;
    if (s.substring(1, end).isBlank()) {
      return elements;
    }
    while (true) {
      while (i < end && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      StringBuilder element = new StringBuilder();
      boolean quoted = i < end && s.charAt(i) == '"';
      if (quoted) {
        for (i++; i < end && s.charAt(i) != '"'; i++) {
          if (s.charAt(i) == '\\' && i + 1 < end) {
            i++;
          }
          element.append(s.charAt(i));
        }
        if (i >= end) {
          return null;
        }
        i++;
        while (i < end && Character.isWhitespace(s.charAt(i))) {
          i++;
        }
      } else {
        for (; i < end && s.charAt(i) != ','; i++) {
          char c = s.charAt(i);
          if (c == '{' || c == '}' || c == '"') {
            return null;
          }
          element.append(c == '\\' && i + 1 < end ? s.charAt(++i) : c);
        }
      }
      String value = quoted ? element.toString() : element.toString().strip();
      if (!quoted && value.isEmpty()) {
        return null;
      }
      elements.add(!quoted && value.equalsIgnoreCase("null") ? null : value);
      if (i == end) {
        return elements;
      }
      if (s.charAt(i) != ',') {
        return null;
      }
      i++;
    }
  }
}
