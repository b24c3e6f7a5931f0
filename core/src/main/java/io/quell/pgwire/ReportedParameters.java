package io.quell.pgwire;

import io.quell.catalog.Principal;
import io.quell.session.Session;

import io.netty.buffer.ByteBuf;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters a PostgreSQL server reports to its client (ParameterStatus) at the start and
 * again whenever one changes: clients read them to decide how to talk (pgjdbc requires
 * {@code client_encoding} UTF8, a {@code DateStyle} starting with ISO and
 * {@code integer_datetimes} on; psql shows {@code server_version}). All are session
 * variables, read from the session, so that a SET is reported.
 */
final class ReportedParameters {
  /** The session variables reported, in the order a session's start reports them. */
  private static final List<String> REPORTED = List.of("server_version", "server_encoding",
      "client_encoding", "DateStyle", "IntervalStyle", "TimeZone", "integer_datetimes",
      "standard_conforming_strings", "application_name");

  private final Session session;
  private final Map<String, String> sent = new HashMap<>();

  ReportedParameters(Session session) {
    this.session = session;
  }

  /** Every parameter, as the start of a session reports them. */
  void writeAll(ByteBuf out, Principal user) {
    REPORTED.forEach(name -> report(out, name, current(name)));
    report(out, "is_superuser", user.isAdmin() ? "on" : "off");
    report(out, "session_authorization", session.user());
  }

  /** The parameters that changed since they were last reported (a SET). */
  void writeChanged(ByteBuf out) {
    for (String name : REPORTED) {
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
    return session.variables().show(name);
  }

  private void report(ByteBuf out, String name, String value) {
    sent.put(name, value);
    BackendMessages.parameterStatus(out, name, value);
  }
}
