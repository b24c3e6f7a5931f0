package io.quell.pgwire;

import java.util.List;
import java.util.Set;

/**
 * The tag of a CommandComplete message, as PostgreSQL names what a statement did: psql prints
 * it and drivers read the row count from it ({@code INSERT 0 3}, {@code UPDATE 2},
 * {@code SELECT 10}, {@code CREATE TABLE}, {@code SET}). It is chosen from the statement's first
 * words, which is how PostgreSQL's tags read.
 */
final class CommandTag {
  /** Statements whose object follows: their tag is two words, as CREATE TABLE's. */
  private static final Set<String> WITH_OBJECT = Set.of("CREATE", "DROP", "ALTER", "CANCEL",
      "DRAIN", "COMMENT");
  /** Words between the verb and the object that the tag leaves out. */
  private static final Set<String> NOT_THE_OBJECT = Set.of("OR", "REPLACE", "TEMP",
      "TEMPORARY", "IF", "NOT", "EXISTS");
  private static final int WORDS = 6;

  private CommandTag() {
  }

  /** How many first words {@link #of} reads. */
  static int words() {
    return WORDS;
  }

  /**
   * The tag of a statement starting with {@code words}: one that returned rows reports how
   * many it sent ({@code rows}), one that changed rows how many ({@code count}).
   */
  static String of(List<String> words, boolean returnedRows, long count) {
    String verb = words.isEmpty() ? "" : words.get(0);
    if (returnedRows) {
      return verb.equals("SHOW") || verb.equals("EXPLAIN") ? verb : "SELECT " + count;
    }
    return switch (verb) {
      case "INSERT" -> "INSERT 0 " + count;
      case "UPDATE", "DELETE", "MERGE" -> verb + " " + count;
      case "SELECT", "VALUES", "TABLE", "WITH" -> "SELECT " + count;
      default -> WITH_OBJECT.contains(verb) ? (verb + " " + object(words)).strip() : verb;
    };
  }

  /** The object of CREATE, DROP...: {@code ROLE} for a user, as PostgreSQL's tag has it. */
  private static String object(List<String> words) {
    for (String word : words.subList(1, words.size())) {
      if (!NOT_THE_OBJECT.contains(word)) {
        return word.equals("USER") ? "ROLE" : word;
      }
    }
    return "";
  }
}
