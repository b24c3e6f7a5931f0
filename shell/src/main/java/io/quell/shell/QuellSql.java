package io.quell.shell;

import java.io.IOException;
import java.util.Arrays;

import sqlline.SqlLine;

/**
 * The {@code quell-sql} command: sqlline over {@code jdbc:quell://}, by default to
 * {@value ShellArguments#DEFAULT_URL} as {@value ShellArguments#DEFAULT_USER} with the password of
 * {@code -p} or env {@code QUELL_PASSWORD}. Interactive at a terminal; {@code -e "SQL"},
 * {@code -f file} or SQL piped in run as a script that stops at its first error. Exits 0 when
 * every statement succeeded, 1 on bad arguments, 2 on a failed statement or connection.
 */
public final class QuellSql {
  static final String PASSWORD_VARIABLE = "QUELL_PASSWORD";

  private QuellSql() {
  }

  public static void main(String[] args) throws IOException {
    ShellArguments arguments = new ShellArguments(Arrays.asList(args));
    // Null unless standard input and output are both a terminal (with Java 22 and later only
    // while jdk.console=java.base, which bin/quell-sql sets).
    boolean terminal = System.console() != null;
    boolean interactive = arguments.interactive(terminal);
    SqlLine.Status status = new QuellSqlLine(interactive).begin(
        arguments.forSqlline(System.getenv(PASSWORD_VARIABLE), terminal).toArray(String[]::new),
        null, interactive);
    System.exit(status.ordinal());
  }
}
