package io.quell.activity;

/**
 * A role's open sessions on one node or several, as a CONNECTION LIMIT counts them: ordinary
 * ones, and internal ones (a driver's cancel channel) apart.
 */
public record ConnectionCount(long ordinary, long internal) {
  public static final ConnectionCount NONE = new ConnectionCount(0, 0);

  public ConnectionCount plus(ConnectionCount other) {
    return new ConnectionCount(ordinary + other.ordinary, internal + other.internal);
  }
}
