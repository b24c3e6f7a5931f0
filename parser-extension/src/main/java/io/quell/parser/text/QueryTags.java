package io.quell.parser.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The sqlcommenter tags of a statement: ORMs and BI tools append comments such as
 * {@code /*controller='dashboard',route='%2Freports%2Fq1'*}{@code /} to say where a statement
 * comes from. Each such comment's pairs are decoded (keys and values are percent-encoded, a
 * quote in a value is escaped as {@code \'}) and listed as {@code key=value} joined by commas,
 * in the order written. A comment that is not in that form (a hint, a note, a malformed pair)
 * contributes nothing: tags are never a reason for a statement to fail.
 */
public final class QueryTags {
  private QueryTags() {
  }

  /** The tags of {@code sql}, or the empty string if it has none (or it does not lex). */
  public static String of(String sql) {
    if (sql == null || !sql.contains("/*")) {
      return "";
    }
    List<String> tags = new ArrayList<>();
    SqlLexer lexer = new SqlLexer(sql);
    try {
      for (SqlToken token = lexer.next(); token != null; token = lexer.next()) {
        List<String> pairs = pairs(token);
        if (pairs != null) {
          tags.addAll(pairs);
        }
      }
    } catch (UnlexableSqlException e) {
      return "";
    }
    return String.join(",", tags);
  }

  /** Whether {@code token} is a sqlcommenter comment, which says where a statement is from. */
  public static boolean isTagComment(SqlToken token) {
    return pairs(token) != null;
  }

  /** The decoded pairs of a sqlcommenter comment; null for any other token. */
  private static List<String> pairs(SqlToken token) {
    return token.kind() == SqlToken.Kind.BLOCK_COMMENT
        ? pairs(token.sql().substring(token.start() + 2, token.end() - 2)) : null;
  }

  /** The decoded {@code key=value} pairs of a comment's body, or null if it is not a tag list. */
  private static List<String> pairs(String body) {
    String text = body.strip();
    if (text.isEmpty()) {
      return null;
    }
    List<String> pairs = new ArrayList<>();
    int i = 0;
    while (true) {
      int eq = text.indexOf('=', i);
      if (eq <= i) {
        return null;
      }
      String key = decode(text.substring(i, eq).strip());
      int open = eq + 1;
      if (key == null || key.isEmpty() || open >= text.length() || text.charAt(open) != '\'') {
        return null;
      }
      StringBuilder raw = new StringBuilder();
      int j = open + 1;
      while (j < text.length() && text.charAt(j) != '\'') {
        if (text.charAt(j) == '\\' && j + 1 < text.length()) {
          j++; // an escaped meta character, e.g. \'
        }
        raw.append(text.charAt(j));
        j++;
      }
      if (j >= text.length()) {
        return null;
      }
      String value = decode(raw.toString());
      if (value == null) {
        return null;
      }
      pairs.add(key + "=" + value);
      int next = j + 1;
      while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
        next++;
      }
      if (next == text.length()) {
        return pairs;
      }
      if (text.charAt(next) != ',') {
        return null;
      }
      i = next + 1;
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
    }
  }

  /**
   * Percent-decodes {@code s} as UTF-8 (RFC 3986, which sqlcommenter uses: a {@code +} stays a
   * plus); null if an escape or the bytes are malformed.
   */
  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 3;
      } else {
        int codePoint = s.codePointAt(i);
        byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(codePoint);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
