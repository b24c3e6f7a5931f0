package io.quell.server.console;

import io.quell.catalog.Principal;
import io.quell.catalog.Privilege;
import io.quell.client.SqlState;
import io.quell.engine.QuellEngine;
import io.quell.error.QuellException;
import io.quell.metrics.MetricsHistory;
import io.quell.session.ActivityId;
import io.quell.session.Session;
import io.quell.session.SessionStatus;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * What each endpoint of {@code /console/api/} answers. Every answer is the result of SQL run
 * as the caller on the caller's own internal sessions (SHOW SESSIONS, SHOW QUERIES, the
 * {@code quell_internal} tables, CANCEL with {@code ?} parameters), so visibility, redaction,
 * privileges, cluster routing and the audit are SQL's, and what the user may not see never
 * reaches this class. The only judgement made here is which rows to offer a Cancel button
 * on, and that asks the CANCEL statement's own privilege check.
 */
final class ConsoleApi {
  private static final Set<String> SESSION_PARAMS = Set.of("user", "application", "status",
      "tag", "closed", "internal", "sort", "order", "limit", "offset");
  private static final Set<String> QUERY_PARAMS = Set.of("user", "application", "tag",
      "session", "internal", "sort", "order", "limit", "offset");
  private static final Set<String> AUDIT_PARAMS = Set.of("user", "sort", "order", "limit",
      "offset");
  private static final Set<String> MEMBER_PARAMS = Set.of();
  private static final Set<String> STATEMENT_PARAMS = Set.of("user", "sort", "order", "limit",
      "offset");
  private static final Set<String> STATUSES = Arrays.stream(SessionStatus.values())
      .map(Enum::name).collect(Collectors.toSet());
  private static final String CLOSED = SessionStatus.CLOSED.name();
  private static final int DEFAULT_LIMIT = 100;

  /** One row and whether the caller may cancel what it shows. */
  record Row(Map<String, Object> values, boolean canCancel) {
  }

  /** A page of a listing; {@code now} is the server's clock, for elapsed times. */
  record Page(List<ResultRows.Column> columns, List<Row> rows, long total, int limit,
      int offset, String now) {
  }

  /** A session and its running queries. */
  record SessionDetail(Row session, Page queries) {
  }

  /** The caller, and which privileges the page may offer actions for. */
  record Me(String user, String csrfToken, boolean admin, List<String> privileges) {
  }

  /** The overview's charts: samples of {@code interval_seconds} over the last hour. */
  record Overview(long intervalSeconds, List<MetricsHistory.Sample> samples) {
  }

  /** The outcome of a cancel: how many sessions or queries it cancelled. */
  record Cancelled(int cancelled) {
  }

  private final QuellEngine engine;
  private final InternalConnections connections;

  ConsoleApi(QuellEngine engine, InternalConnections connections) {
    this.engine = engine;
    this.connections = connections;
  }

  Me me(ConsoleUser user) {
    Principal p = principal(user);
    return new Me(user.name(), user.csrfToken(), p.isAdmin(),
        p.privileges().stream().map(Privilege::name).sorted().toList());
  }

  /**
   * Sessions, open ones by default: {@code closed=true} adds the recently closed ones (and
   * {@code status=CLOSED} shows only those), {@code internal=true} adds internal sessions,
   * as SHOW ALL SESSIONS does.
   */
  Page sessions(ConsoleUser user, HttpServletRequest request) {
    Params p = Params.of(request, SESSION_PARAMS);
    Optional<String> status = p.choice("status", STATUSES);
    boolean closed = p.flag("closed") || status.filter(CLOSED::equals).isPresent();
    boolean internal = p.flag("internal");
    Listing listing = new Listing(closed || internal ? "(SHOW ALL SESSIONS)" : "(SHOW SESSIONS)");
    if (closed && !internal) {
      listing.where("POSITION(CAST(? AS VARCHAR) IN application_name) <> 1",
          Session.INTERNAL_APPLICATION_PREFIX);
    }
    if (internal && !closed) {
      listing.where("status <> ?", CLOSED);
    }
    p.text("user").ifPresent(u -> listing.where("user_name = ?", u));
    p.text("application").ifPresent(a ->
        listing.where("POSITION(CAST(? AS VARCHAR) IN application_name) > 0", a));
    status.ifPresent(s -> listing.where("status = ?", s));
    p.text("tag").ifPresent(t ->
        listing.where("POSITION(CAST(? AS VARCHAR) IN active_query_tags) > 0", t));
    return page(user, p, listing, "session_start", "session_id", true, false);
  }

  /** One session, open, closed or internal, and its running queries; 404 if not visible. */
  SessionDetail session(ConsoleUser user, String rawId) {
    String id = parse(rawId, "session");
    Principal caller = principal(user);
    Listing.Page found = run(user, new Listing("(SHOW ALL SESSIONS)")
        .where("session_id = ?", id).page(1, 0));
    if (found.rows().rows().isEmpty()) {
      throw new ConsoleException(HttpServletResponse.SC_NOT_FOUND, SqlState.UNDEFINED_OBJECT,
          "session ID " + id + " not found");
    }
    Page queries = toPage(caller, run(user, new Listing("(SHOW ALL QUERIES)")
        .where("session_id = ?", id).sort("start", false, "query_id")
        .page(Params.MAX_LIMIT, 0)), Params.MAX_LIMIT, 0, false);
    return new SessionDetail(toPage(caller, found, 1, 0, true).rows().get(0), queries);
  }

  Page queries(ConsoleUser user, HttpServletRequest request) {
    Params p = Params.of(request, QUERY_PARAMS);
    Listing listing = new Listing(p.flag("internal") ? "(SHOW ALL QUERIES)" : "(SHOW QUERIES)");
    p.text("user").ifPresent(u -> listing.where("user_name = ?", u));
    p.text("application").ifPresent(a ->
        listing.where("POSITION(CAST(? AS VARCHAR) IN application_name) > 0", a));
    p.text("tag").ifPresent(t ->
        listing.where("POSITION(CAST(? AS VARCHAR) IN query_tags) > 0", t));
    p.text("session").ifPresent(s -> listing.where("session_id = ?", parse(s, "session")));
    return page(user, p, listing, "start", "query_id", false, false);
  }

  /** The cancellation audit, newest first; the engine lets only admins read it. */
  Page cancellations(ConsoleUser user, HttpServletRequest request) {
    Params p = Params.of(request, AUDIT_PARAMS);
    Listing listing = new Listing("quell_internal.cancellations");
    p.text("user").ifPresent(u -> listing.where("(canceled_by = ? OR target_user = ?)", u, u));
    return page(user, p, listing, "time", "target_id", false, true);
  }

  /** The cluster's members as this node sees them; VIEWACTIVITY or admin, as in SQL. */
  Page members(ConsoleUser user, HttpServletRequest request) {
    Params p = Params.of(request, MEMBER_PARAMS);
    return page(user, p, new Listing("quell_internal.cluster_members"), "node_id", "node_id",
        false, false);
  }

  /**
   * The statement statistics of the whole cluster, costliest first by default; each user sees
   * what {@code quell_internal.cluster_statement_statistics} shows them.
   */
  Page statements(ConsoleUser user, HttpServletRequest request) {
    Params p = Params.of(request, STATEMENT_PARAMS);
    Listing listing = new Listing("quell_internal.cluster_statement_statistics");
    p.text("user").ifPresent(u -> listing.where("user_name = ?", u));
    return page(user, p, listing, "total_ms", "fingerprint", false, true);
  }

  /**
   * The last hour of this node's metrics: counts only, which GET /metrics shows anyone, so
   * every logged-in user may see them.
   */
  Overview overview() {
    return new Overview(MetricsHistory.INTERVAL.toSeconds(),
        engine.metrics().history().samples());
  }

  /**
   * {@code {"kind": "query"|"session", "id": "...", "message": "..."}}: CANCEL QUERY|SESSION
   * of the id, WITH MESSAGE when a message is given, run as the caller.
   */
  Cancelled cancel(ConsoleUser user, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ConsoleException.badRequest("the body must be a JSON object with kind, id and "
          + "optionally message");
    }
    body.fieldNames().forEachRemaining(f -> {
      if (!Set.of("kind", "id", "message").contains(f)) {
        throw ConsoleException.badRequest("unknown field '" + f + "'; a cancel takes kind, id "
            + "and message");
      }
    });
    String kind = text(body, "kind").map(k -> k.toUpperCase(Locale.ROOT))
        .filter(k -> k.equals("QUERY") || k.equals("SESSION"))
        .orElseThrow(() -> ConsoleException.badRequest("kind must be \"query\" or \"session\""));
    String id = text(body, "id")
        .orElseThrow(() -> ConsoleException.badRequest("id must be a " + kind.toLowerCase(
            Locale.ROOT) + " ID"));
    Optional<String> message = text(body, "message").filter(m -> !m.isEmpty());
    String sql = "CANCEL " + kind + " ?" + (message.isPresent() ? " WITH MESSAGE ?" : "");
    try {
      return new Cancelled(connections.as(user.name(), c -> {
        try (PreparedStatement s = c.prepareStatement(sql)) {
          s.setString(1, id);
          if (message.isPresent()) {
            s.setString(2, message.get());
          }
          return s.executeUpdate();
        }
      }));
    } catch (SQLException e) {
      throw ConsoleException.of(e);
    }
  }

  /** A text field of a JSON body: absent or null is empty; any other type is refused. */
  private static Optional<String> text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ConsoleException.badRequest("field '" + field + "' must be a string");
    }
    return Optional.of(v.textValue());
  }

  /**
   * The page {@code p} asks for: sorted by its {@code sort} column (else {@code defaultSort},
   * descending if {@code newestFirst}) and {@code order}, {@code limit} rows from
   * {@code offset}.
   */
  private Page page(ConsoleUser user, Params p, Listing listing, String defaultSort,
      String tieBreaker, boolean sessions, boolean newestFirst) {
    String sort = p.column("sort", defaultSort);
    boolean descending = p.choice("order", Set.of("ASC", "DESC")).map("DESC"::equals)
        .orElse(newestFirst);
    int limit = p.integer("limit", DEFAULT_LIMIT, 1, Params.MAX_LIMIT);
    int offset = p.integer("offset", 0, 0, Integer.MAX_VALUE - Params.MAX_LIMIT);
    Listing.Page page = run(user, listing.sort(sort, descending, tieBreaker)
        .page(limit, offset));
    return toPage(principal(user), page, limit, offset, sessions);
  }

  /**
   * The rows with their Cancel offer: a row of someone the caller may cancel, unless it is a
   * closed session. Rows without a {@code user_name} (the audit, the members) offer nothing.
   */
  private Page toPage(Principal caller, Listing.Page page, int limit, int offset,
      boolean sessions) {
    List<Row> rows = page.rows().rows().stream().map(values -> {
      Object owner = values.get("user_name");
      boolean open = !sessions || !CLOSED.equals(values.get("status"));
      return new Row(values, open && owner instanceof String u
          && engine.cancelStatement().mayCancel(caller, u));
    }).toList();
    return new Page(page.rows().columns(), rows, page.total(), limit, offset,
        Instant.now().toString());
  }

  private Listing.Page run(ConsoleUser user, Listing listing) {
    try {
      return connections.as(user.name(), listing::run);
    } catch (SQLException e) {
      throw ConsoleException.of(e);
    }
  }

  private Principal principal(ConsoleUser user) {
    return engine.principal(user.name()).orElseThrow(() -> new ConsoleException(
        HttpServletResponse.SC_UNAUTHORIZED, SqlState.INVALID_AUTHORIZATION, "role " + user.name()
            + " does not exist"));
  }

  /** A session or query id in its canonical form; 22023 as in SQL when it is malformed. */
  private static String parse(String id, String noun) {
    try {
      return ActivityId.parse(id, noun).toString();
    } catch (QuellException e) {
      throw ConsoleException.badRequest(e.getMessage());
    }
  }
}
