package io.quell.engine.dialect;

import io.quell.client.SqlState;
import io.quell.error.QuellException;
import io.quell.execution.QueryThread;
import io.quell.session.Session;
import io.quell.session.SessionVariables;

import org.apache.calcite.linq4j.function.Strict;

/**
 * PostgreSQL's {@code current_setting(name [, missing_ok])} and
 * {@code set_config(name, value, is_local)}, over the variables of the session whose
 * statement runs them: the same values, names and errors as SHOW and SET.
 */
public final class SettingFunctions {
  private SettingFunctions() {
  }

  /** The value SHOW shows; 42704 for a variable there is none of. */
  @Strict
  public static String currentSetting(String name) {
    return variables("current_setting").show(name);
  }

  /** As {@link #currentSetting(String)}, but null for no such variable if {@code missingOk}. */
  @Strict
  public static String currentSetting(String name, boolean missingOk) {
    try {
      return currentSetting(name);
    } catch (QuellException e) {
      if (missingOk && e.sqlState() == SqlState.UNDEFINED_OBJECT) {
        return null;
      }
      throw e;
    }
  }

  /**
   * SET {@code name} = {@code value}, returning the new value as SHOW shows it. With
   * {@code isLocal} the setting lasts as long as the transaction, which in Quell is the
   * statement itself: the value is checked and returned, and the session keeps its own.
   */
  @Strict
  public static String setConfig(String name, String value, boolean isLocal) {
    SessionVariables variables = variables("set_config");
    if (isLocal) {
      return SessionVariables.canonical(name, value);
    }
    variables.set(name, value);
    return variables.show(name);
  }

  private static SessionVariables variables(String function) {
    Session session = QueryThread.session();
    if (session == null) {
      throw new QuellException(SqlState.CONNECTION_EXCEPTION,
          function + " runs only in a statement of a session");
    }
    return session.variables();
  }
}
