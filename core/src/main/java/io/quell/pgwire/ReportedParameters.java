package io.quell.pgwire;

import io.quell.catalog.Principal;
import io.quell.error.QuellException;
import io.quell.session.Session;

import io.netty.buffer.ByteBuf;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The parameters a PostgreSQL server reports to its client (ParameterStatus) at the start and
 * again whenever one changes: clients read them to decide how to talk (pgjdbc requires
 * {@code client_encoding} UTF8, a {@code DateStyle} starting with ISO and
 * {@code integer_datetimes} on; psql shows {@code server_version}). Those that are session
 * variables are read from the session, so that a SET is reported; the others are what this
 * server always does.
 */
final class ReportedParameters {
  /** The server's fixed answers, in the order they are reported. */
  private static final Map<String, String> FIXED = fixed();

  private static Map<String, String> fixed() {
    Map<String, String> fixed = new LinkedHashMap<>();
    fixed.put("server_version", "13.0.0");
    fixed.put("server_encoding", "UTF8");
    fixed.put("client_encoding", "UTF8");
    fixed.put("DateStyle", "ISO, MDY");
    fixed.put("IntervalStyle", "postgres");
    fixed.put("TimeZone", "UTC");
    fixed.put("integer_datetimes", "on");
    fixed.put("standard_conforming_strings", "on");
    fixed.put("application_name", "");
    return fixed;
  }

  private final Session session;
  /** The reported parameters that are session variables, of those above. */
  private final Set<String> variables = new LinkedHashSet<>();
  private final Map<String, String> sent = new HashMap<>();

  ReportedParameters(Session session) {
    this.session = session;
    for (String name : FIXED.keySet()) {
      try {
        session.variables().show(name);
        variables.add(name);
      } catch (QuellException notAVariable) {
        // reported as the server's fixed answer
      }
    }
  }

  /** Every parameter, as the start of a session reports them. */
  void writeAll(ByteBuf out, Principal user) {
    FIXED.forEach((name, value) -> report(out, name, current(name)));
    report(out, "is_superuser", user.isAdmin() ? "on" : "off");
    report(out, "session_authorization", session.user());
  }

  /** The parameters that changed since they were last reported (a SET). */
  void writeChanged(ByteBuf out) {
    for (String name : variables) {
      String value = current(name);
      if (!value.equals(sent.get(name))) {
        report(out, name, value);
      }
    }
  }

  /** The zone in which timestamps with a zone are shown: the session's TimeZone. */
  ZoneId zone() {
    try {
      return ZoneId.of(current("TimeZone"));
    } catch (DateTimeException unknown) {
      return ZoneOffset.UTC;
    }
  }

  private String current(String name) {
    return variables.contains(name) ? session.variables().show(name) : FIXED.get(name);
  }

  private void report(ByteBuf out, String name, String value) {
    sent.put(name, value);
    BackendMessages.parameterStatus(out, name, value);
  }
}
