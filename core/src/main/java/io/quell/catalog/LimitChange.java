package io.quell.catalog;

/**
 * The limits a CREATE or ALTER of a role sets: its CONNECTION LIMIT and its QUERY LIMIT, each
 * null when the statement leaves it as it is ({@link Principal#UNLIMITED} for no limit).
 */
public record LimitChange(Integer connections, Integer queries) {
  /** A statement that sets neither. */
  public static final LimitChange NONE = new LimitChange(null, null);
}
