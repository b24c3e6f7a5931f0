package io.quell.session;

/**
 * The versions a node announces: its own, and the PostgreSQL version it speaks as, which
 * PostgreSQL clients read ({@code server_version}, {@code version()}) to decide what catalog
 * queries and syntax to send.
 */
public final class ServerVersion {
  /** Quell's name and version. */
  public static final String QUELL = "Quell 0.1.0";
  /** {@code server_version}. */
  public static final String POSTGRES = "13.0.0";
  /** {@code server_version_num}: major times 10,000 plus minor. */
  public static final String POSTGRES_NUM = "130000";

  private ServerVersion() {
  }

  /** What {@code version()} returns: PostgreSQL's version first, as clients parse it. */
  public static String description() {
    String calcite = org.apache.calcite.jdbc.Driver.class.getPackage().getImplementationVersion();
    return "PostgreSQL " + POSTGRES + " on " + QUELL
        + (calcite == null ? "" : " (Apache Calcite " + calcite + ")");
  }
}
