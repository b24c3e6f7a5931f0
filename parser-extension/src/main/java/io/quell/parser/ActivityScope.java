package io.quell.parser;

/** Which nodes a {@code SHOW SESSIONS} or {@code SHOW QUERIES} covers. */
public enum ActivityScope {
  /** Every live node of the cluster; the default. */
  CLUSTER,
  /** Only the node the caller is connected to. */
  LOCAL
}
