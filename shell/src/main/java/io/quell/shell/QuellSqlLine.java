package io.quell.shell;

import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.Locale;

import sqlline.BuiltInProperty;
import sqlline.CommandHandler;
import sqlline.DispatchCallback;
import sqlline.SqlLine;

/**
 * sqlline as quell-sql: the {@code quell>} prompt, its own history file, result tables as wide
 * as the window (a script's as wide as its rows), errors in one line, and the terminal's signals
 * as psql treats them.
 *
 * <p>sqlline gives every signal of its terminal to one handler, which cancels the running
 * statement (on a Quell connection, on the server): a resized window or Ctrl-Z would cancel the
 * query too. Here only Ctrl-C cancels, and only in an interactive session, which lives on; the
 * other signals keep their usual meaning. In a script (-e, -f, SQL piped in) Ctrl-C ends the
 * shell.
 *
 * <p>However the shell ends (Ctrl-C in a script, SIGTERM, a closed terminal), it closes its
 * connections on the way out, so the server ends their sessions and their running queries at
 * once rather than when the connections expire.
 */
final class QuellSqlLine extends SqlLine {
  private static final String PROMPT = "quell> ";
  private static final String HISTORY_FILE = ".quell_sql_history";
  /** The exit status of a shell ended by SIGINT, as a shell reports it. */
  private static final int INTERRUPTED = 130;
  /** How long the way out waits for a server that does not answer. */
  private static final long CLOSE_WAIT_MILLIS = 2_000;

  private final boolean interactive;

  QuellSqlLine(boolean interactive) {
    this.interactive = interactive;
    getOpts().set(BuiltInProperty.PROMPT, PROMPT);
    getOpts().set(BuiltInProperty.HISTORY_FILE,
        Path.of(System.getProperty("user.home"), HISTORY_FILE).toString());
    // The driver's own level (READ COMMITTED, the only one it supports): sqlline's
    // REPEATABLE_READ, or any other level, draws a warning line at every connect.
    getOpts().set(BuiltInProperty.ISOLATION, "TRANSACTION_READ_COMMITTED");
    getOpts().set(BuiltInProperty.AUTO_RESIZE, interactive);
    Runtime.getRuntime().addShutdownHook(new Thread(this::closeConnections, "quell-sql-exit"));
  }

  @Override public LineReader getConsoleReader(InputStream inputStream, History history)
      throws IOException {
    // Standard input on a pipe makes a dumb terminal, which is right, and jline warns unless told.
    System.setProperty(TerminalBuilder.PROP_DUMB, "true");
    LineReader reader = super.getConsoleReader(inputStream, history);
    Terminal terminal = reader.getTerminal();
    for (Signal signal : Signal.values()) {
      if (signal != Signal.INT) {
        terminal.handle(signal, SignalHandler.SIG_DFL);
      }
    }
    if (!interactive) {
      terminal.handle(Signal.INT, signal -> System.exit(INTERRUPTED));
    }
    // Not a terminal (sqlline then takes its width, 0, and prints empty columns), or a script,
    // whose rows are not cut to fit a window.
    if (!interactive || terminal.getWidth() == 0) {
      getOpts().set(BuiltInProperty.MAX_WIDTH, Integer.MAX_VALUE);
    }
    return reader;
  }

  /**
   * sqlline prints the stack trace of every error until its prompt first shows, which includes
   * every statement of -e and -f; here an error is its message and SQLSTATE unless --verbose.
   */
  @Override public void handleException(Throwable e) {
    if (!(e instanceof SQLException) || e instanceof SQLWarning || getOpts().getVerbose()) {
      super.handleException(e);
      return;
    }
    SQLException error = (SQLException) e;
    error(String.format(Locale.ROOT, "Error: %s (state=%s,code=%d)",
        error.getMessage() == null ? "" : error.getMessage().trim(),
        error.getSQLState() == null ? "" : error.getSQLState(), error.getErrorCode()));
  }

  private void closeConnections() {
    Thread closer = new Thread(() -> {
      for (CommandHandler handler : getCommandHandlers()) {
        if (handler.matches("closeall") != null) {
          handler.execute("closeall", new DispatchCallback());
        }
      }
    }, "quell-sql-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
