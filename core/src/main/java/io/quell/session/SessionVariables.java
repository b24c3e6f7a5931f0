package io.quell.session;

import static io.quell.session.SessionVariable.APPLICATION_NAME;
import static io.quell.session.SessionVariable.IDLE_IN_SESSION_TIMEOUT;
import static io.quell.session.SessionVariable.IS_SUPERUSER;
import static io.quell.session.SessionVariable.MAX_QUERY_MEMORY;
import static io.quell.session.SessionVariable.PLAN_CACHE;
import static io.quell.session.SessionVariable.SEARCH_PATH;
import static io.quell.session.SessionVariable.STATEMENT_TIMEOUT;

import io.quell.client.SqlState;
import io.quell.error.QuellException;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One session's values of the {@link SessionVariable}s. Other threads read them too (SHOW
 * SESSIONS of other sessions, the timeout sweeper), so the values are held in a concurrent map.
 */
public final class SessionVariables {
  /** The values at connect time, to which RESET returns. */
  private final Map<SessionVariable, Object> initial = new EnumMap<>(SessionVariable.class);
  private final Map<SessionVariable, Object> values = new ConcurrentHashMap<>();
  /** What makes the search path the session's; nothing until the node says what does. */
  private volatile Consumer<String> searchPath = path -> { };

  SessionVariables(ActivityId sessionId, String user, String applicationName) {
    for (SessionVariable variable : SessionVariable.values()) {
      initial.put(variable, switch (variable) {
        case APPLICATION_NAME -> applicationName;
        case SESSION_ID -> sessionId.toString();
        case SESSION_USER -> user;
        default -> variable.defaultValue();
      });
    }
    values.putAll(initial);
  }

  public String applicationName() {
    return (String) values.get(APPLICATION_NAME);
  }

  public Duration statementTimeout() {
    return (Duration) values.get(STATEMENT_TIMEOUT);
  }

  public Duration idleTimeout() {
    return (Duration) values.get(IDLE_IN_SESSION_TIMEOUT);
  }

  /** The session's own limit on what one query holds; 0 if the node's pool is the limit. */
  public long maxQueryMemory() {
    return (Long) values.get(MAX_QUERY_MEMORY);
  }

  public boolean planCache() {
    return (Boolean) values.get(PLAN_CACHE);
  }

  /** SET name = value; {@code value} null means RESET. */
  public void set(String name, String value) {
    SessionVariable variable = settable(name);
    values.put(variable, value == null ? initial.get(variable) : variable.parse(value));
    changed(variable);
  }

  /**
   * {@code value} of variable {@code name} as SHOW displays it, for a role's default (null
   * stays null: a RESET): 42704 if there is no such variable, 55P02 if sessions cannot change
   * it, 22023 if it is no value of it.
   */
  public static String canonical(String name, String value) {
    SessionVariable variable = settable(name);
    return value == null ? null : variable.format(variable.parse(value));
  }

  /** The settable variable {@code name}; 42704 or 55P02 if there is none such. */
  private static SessionVariable settable(String name) {
    SessionVariable variable = SessionVariable.named(name);
    if (!variable.settable()) {
      throw new QuellException(SqlState.CANT_CHANGE_RUNTIME_PARAM,
          "parameter \"" + variable.pgName() + "\" cannot be changed");
    }
    return variable;
  }

  /**
   * Starts the session with its role's defaults ({@code ALTER ROLE ... SET}), which RESET then
   * returns to; an application name the client gave in its connection properties wins over
   * the role's. A variable this version no longer has is passed over.
   */
  public void startWith(Map<String, String> roleDefaults) {
    roleDefaults.forEach((name, text) -> {
      SessionVariable variable;
      try {
        variable = settable(name);
      } catch (QuellException gone) {
        return;
      }
      if (variable == APPLICATION_NAME && !((String) initial.get(variable)).isEmpty()) {
        return;
      }
      Object value = variable.parse(text);
      initial.put(variable, value);
      values.put(variable, value);
      changed(variable);
    });
  }

  /**
   * What the node knows of the session when it opens: whether its user is an admin, and its
   * default schema, the start of its search path (empty if it has none); {@code searchPath}
   * applies the path each time it changes from then on.
   */
  public void startAs(boolean superuser, String defaultSchema, Consumer<String> searchPath) {
    initial.put(IS_SUPERUSER, superuser);
    values.put(IS_SUPERUSER, superuser);
    initial.put(SEARCH_PATH, defaultSchema);
    values.put(SEARCH_PATH, defaultSchema);
    this.searchPath = searchPath;
  }

  /** RESET ALL: every settable variable back to its value at connect time. */
  public void resetAll() {
    initial.forEach((variable, value) -> {
      if (variable.settable()) {
        values.put(variable, value);
      }
    });
    changed(SEARCH_PATH);
  }

  private void changed(SessionVariable variable) {
    if (variable == SEARCH_PATH) {
      searchPath.accept((String) values.get(SEARCH_PATH));
    }
  }

  public String show(String name) {
    SessionVariable variable = SessionVariable.named(name);
    return variable.format(values.get(variable));
  }

  /** Every variable and its value, in a stable order, for SHOW ALL. */
  public Map<String, String> all() {
    Map<String, String> all = new LinkedHashMap<>();
    for (SessionVariable variable : SessionVariable.values()) {
      all.put(variable.pgName(), variable.format(values.get(variable)));
    }
    return all;
  }
}
