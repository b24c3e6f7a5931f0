// The Quell console page: plain JavaScript over the JSON API under /console/api/. Every view
// polls its endpoint once a second; the server decides what is visible and what may be
// cancelled, the page only draws it. Values go into the page as text, never as HTML.
"use strict";

const API = "api/";
const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);

const state = {
  me: null,
  view: null,
  sessionId: null,
  sort: {
    sessions: { column: "session_start", order: "ASC" },
    queries: { column: "start", order: "ASC" },
    cancellations: { column: "time", order: "DESC" },
    statements: { column: "total_ms", order: "DESC" },
  },
  offset: { sessions: 0, queries: 0, cancellations: 0, statements: 0 },
  charts: {},
  pageSize: 50,
  inFlight: false,
  problemFromRefresh: false,
  // For elapsed times: the server's clock at the last answer, and ours then.
  serverNow: 0,
  fetchedAt: 0,
  confirm: null,
};

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : "HTTP " + status);
    this.status = status;
    this.sqlstate = body && body.sqlstate;
  }
}

async function api(path, body) {
  const init = { credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    if (state.me && state.me.csrf_token) {
      init.headers["X-CSRF-Token"] = state.me.csrf_token;
    }
    init.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, init);
  const reply = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, reply);
  }
  return reply;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else if (k === "onclick") node.addEventListener("click", v);
    else node[k] = v;
  }
  for (const c of children) {
    if (c !== null && c !== undefined) node.append(c);
  }
  return node;
}

function say(text) {
  $("status").textContent = text;
}

// What went wrong, until the next action; a failed refresh shows until one succeeds.
function problem(text, fromRefresh) {
  const p = $("problem");
  p.textContent = text || "";
  p.hidden = !text;
  state.problemFromRefresh = Boolean(text && fromRefresh);
}

function describe(e) {
  return e.sqlstate ? e.message + " (SQLSTATE " + e.sqlstate + ")" : e.message;
}

// --- login -------------------------------------------------------------------------------

function showLogin() {
  state.me = null;
  say("");
  // Nothing of the last user stays on the page for the next one.
  for (const table of document.querySelectorAll("main table")) {
    table.replaceChildren();
    delete table.dataset.head;
  }
  delete $("session-view").dataset.signature;
  $("session-actions").replaceChildren();
  $("nav").hidden = true;
  $("who").hidden = true;
  for (const s of document.querySelectorAll("main > section")) s.hidden = s.id !== "login-view";
  $("login-user").focus();
}

function loggedIn(me) {
  state.me = me;
  $("who-name").textContent = me.user;
  $("who").hidden = false;
  $("nav").hidden = false;
  const privileges = new Set(me.privileges);
  const allowed = {
    admin: me.admin,
    viewactivity: me.admin || privileges.has("VIEWACTIVITY") || privileges.has("VIEWACTIVITYREDACTED"),
  };
  for (const a of $("nav").querySelectorAll("a[data-needs]")) a.hidden = !allowed[a.dataset.needs];
  route();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  problem("");
  try {
    loggedIn(await api("login", { user: $("login-user").value, password: $("login-password").value }));
    $("login-password").value = "";
  } catch (e) {
    problem(describe(e));
  }
});

$("logout").addEventListener("click", async () => {
  try {
    await api("logout", {});
  } finally {
    showLogin();
  }
});

// --- views -------------------------------------------------------------------------------

function route() {
  if (!state.me) return;
  const hash = location.hash.replace(/^#/, "") || "sessions";
  const [view, id] = hash.split("/");
  state.view = ["overview", "sessions", "queries", "statements", "session", "cancellations", "members"].includes(view) ? view : "sessions";
  state.sessionId = id || null;
  for (const s of document.querySelectorAll("main > section")) s.hidden = s.id !== state.view + "-view";
  for (const a of $("nav").querySelectorAll("a")) {
    if (a.dataset.view === state.view || (state.view === "session" && a.dataset.view === "sessions")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  problem("");
  refresh();
}

window.addEventListener("hashchange", route);

function filters(formId) {
  const params = new URLSearchParams();
  for (const input of $(formId).elements) {
    if (input.type === "checkbox") {
      if (input.checked) params.set(input.name, "true");
    } else if (input.value.trim() !== "") {
      params.set(input.name, input.value.trim());
    }
  }
  return params;
}

function listing(view, params) {
  const sort = state.sort[view];
  params.set("sort", sort.column);
  params.set("order", sort.order);
  params.set("limit", state.pageSize);
  params.set("offset", state.offset[view]);
  return params;
}

async function refresh() {
  if (!state.me || state.inFlight) return;
  state.inFlight = true;
  try {
    const v = state.view;
    if (v === "sessions") {
      renderListing("sessions", await api("sessions?" + listing("sessions", filters("sessions-filters"))));
    } else if (v === "queries") {
      renderListing("queries", await api("queries?" + listing("queries", filters("queries-filters"))));
    } else if (v === "statements") {
      renderListing("statements", await api("statements?" + listing("statements", filters("statements-filters"))));
    } else if (v === "overview") {
      renderOverview(await api("overview"));
    } else if (v === "cancellations") {
      renderListing("cancellations", await api("cancellations?" + listing("cancellations", filters("cancellations-filters"))));
    } else if (v === "members") {
      const page = await api("members");
      clock(page);
      drawTable($("members-table"), page, {});
    } else if (v === "session") {
      renderSession(await api("sessions/" + encodeURIComponent(state.sessionId)));
    }
    if (state.problemFromRefresh) problem("");
  } catch (e) {
    if (e.status === 401) showLogin();
    else problem(describe(e), true);
  } finally {
    state.inFlight = false;
  }
}

function clock(page) {
  state.serverNow = Date.parse(page.now);
  state.fetchedAt = Date.now();
}

function renderListing(view, page) {
  clock(page);
  const sortable = { view, sort: state.sort[view] };
  drawTable($(view + "-table"), page, { sortable, actions: view !== "cancellations" && view !== "statements", elapsed: view === "queries" });
  const pager = $(view + "-pager");
  const first = page.total === 0 ? 0 : page.offset + 1;
  const last = page.offset + page.rows.length;
  pager.replaceChildren(
    el("button", { type: "button", disabled: page.offset === 0, onclick: () => { state.offset[view] = Math.max(0, page.offset - page.limit); refresh(); } }, "Previous"),
    el("span", {}, `${first}–${last} of ${page.total}`),
    el("button", { type: "button", disabled: last >= page.total, onclick: () => { state.offset[view] = page.offset + page.limit; refresh(); } }, "Next"));
}

// A session's detail: every column of its row as the API sends it (times as UTC instants),
// and its running queries. Redrawn only when the session changed.
function renderSession(detail) {
  const values = detail.session.values;
  clock(detail.queries);
  const signature = JSON.stringify(detail.session);
  const view = $("session-view");
  if (view.dataset.signature !== signature) {
    view.dataset.signature = signature;
    $("session-title").textContent = "Session " + values.session_id;
    const rows = Object.entries(values).map(([k, v]) =>
      el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, String(v === null ? "" : v))));
    $("session-table").replaceChildren(el("tbody", {}, ...rows));
    $("session-actions").replaceChildren(...actionButtons(detail.session, true));
  }
  drawTable($("session-queries-table"), detail.queries, { actions: true, elapsed: true });
}

// Draws a page of rows under its columns, as the API names them; new columns appear by
// themselves. Rows that did not change keep their elements (so a button being clicked or
// focused is not swapped under the pointer); changed rows are replaced.
function drawTable(table, page, options) {
  const headKey = JSON.stringify([page.columns, options.sortable && options.sortable.sort, Boolean(options.actions), Boolean(options.elapsed)]);
  if (table.dataset.head !== headKey || !table.tBodies[0]) {
    table.replaceChildren(el("thead", {}, header(page, options)), el("tbody", {}));
    table.dataset.head = headKey;
  }
  const body = table.tBodies[0];
  const old = new Map();
  for (const tr of body.rows) if (tr.dataset.key) old.set(tr.dataset.key, tr);
  const wanted = page.rows.map((row) => {
    const key = row.values.query_id || row.values.session_id || row.values.target_id || JSON.stringify(row.values);
    const signature = JSON.stringify(row);
    const kept = old.get(key);
    return kept && kept.dataset.signature === signature ? kept : rowElement(page, row, options, key, signature);
  });
  if (page.rows.length === 0) {
    const span = page.columns.length + (options.actions ? 1 : 0) + (options.elapsed ? 1 : 0);
    wanted.push(el("tr", {}, el("td", { colSpan: span }, "Nothing to show.")));
  }
  wanted.forEach((tr, i) => {
    if (body.rows[i] !== tr) body.insertBefore(tr, body.rows[i] || null);
  });
  while (body.rows.length > wanted.length) body.lastElementChild.remove();
  tickElapsed();
}

// Column headers as people read them; a column not named here shows its name with spaces.
const LABELS = {
  session_id: "session", query_id: "query ID", node_id: "node", user_name: "user",
  client_address: "client", application_name: "application", active_queries: "running query",
  last_active_query: "last query", num_txns_executed: "statements", session_start: "started",
  active_query_start: "query started", alloc_bytes: "memory", max_alloc_bytes: "peak memory",
  active_query_tags: "tags", query_tags: "tags", session_end: "ended", end_cause: "ended by",
  start: "started", total_ms: "total ms", mean_ms: "mean ms", max_ms: "max ms", p99_ms: "p99 ms",
  first_seen: "first seen", last_seen: "last seen", canceled_by: "canceled by",
  target_id: "target ID", target_user: "target user",
};

function label(name) {
  return LABELS[name] || name.replace(/_/g, " ");
}

function header(page, options) {
  const head = el("tr", {});
  if (options.actions) head.append(el("th", { scope: "col" }, "actions"));
  if (options.elapsed) head.append(el("th", { scope: "col" }, "running for"));
  for (const c of page.columns) {
    if (!options.sortable) {
      head.append(el("th", { scope: "col", title: c.name }, label(c.name)));
      continue;
    }
    const sort = options.sortable.sort;
    const current = sort.column === c.name;
    const th = el("th", { scope: "col" }, el("button", {
      type: "button",
      onclick: () => {
        sort.order = current && sort.order === "ASC" ? "DESC" : "ASC";
        sort.column = c.name;
        state.offset[options.sortable.view] = 0;
        refresh().then(() => {
          const again = [...document.querySelectorAll("th button")].find((b) => b.dataset.column === c.name);
          if (again) again.focus();
        });
      },
      "data-column": c.name,
      title: c.name,
    }, label(c.name) + (current ? (sort.order === "ASC" ? " ▲" : " ▼") : "")));
    th.setAttribute("aria-sort", current ? (sort.order === "ASC" ? "ascending" : "descending") : "none");
    head.append(th);
  }
  return head;
}

function rowElement(page, row, options, key, signature) {
  const v = row.values;
  const tr = el("tr", { "data-key": key, "data-signature": signature });
  if (v.session_id) tr.setAttribute("data-session-id", v.session_id);
  if (v.query_id) tr.setAttribute("data-query-id", v.query_id);
  if (v.user_name) tr.setAttribute("data-user", v.user_name);
  if (options.actions) tr.append(el("td", { class: "actions" }, ...actionButtons(row, !v.query_id)));
  if (options.elapsed) tr.append(el("td", { class: "num elapsed", "data-start": v.start || v.active_query_start || "" }));
  for (const c of page.columns) {
    const value = v[c.name];
    const td = el("td", { class: cellClass(c, value) });
    if (c.name === "session_id" && value) {
      td.append(el("a", { href: "#session/" + value }, value));
    } else {
      td.append(format(c.name, value, c.type));
      if (c.type === "TIMESTAMP" || (typeof value === "string" && value.length > 40)) td.title = value || "";
    }
    tr.append(td);
  }
  return tr;
}

function cellClass(column, value) {
  const classes = [];
  if (typeof value === "number") classes.push("num");
  if (column.name.endsWith("_id")) classes.push("id");
  if (column.name.includes("quer") || ["statement", "fingerprint", "last_error", "message"].includes(column.name)) classes.push("text");
  if (column.name === "status" && value) classes.push("status-" + value);
  return classes.join(" ");
}

// Times of today as a clock reading, older ones with their date (the cell's title has the
// full UTC instant); numbers with separators.
function format(name, value, type) {
  if (value === null || value === undefined) return "";
  if (type === "TIMESTAMP") {
    const t = new Date(value);
    if (!isNaN(t)) {
      return t.toDateString() === new Date().toDateString() ? t.toLocaleTimeString() : t.toLocaleString();
    }
  }
  if (typeof value === "number" && name.endsWith("_bytes")) return bytes(value);
  if (typeof value === "number") return value.toLocaleString();
  return String(value);
}

// Memory as people read it: a query's alloc_bytes as "63.8 MiB".
function bytes(n) {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? n + " bytes" : n.toFixed(1) + " " + units[unit];
}

// The buttons of one row: only those the server says the user may use. A session row offers
// Cancel query when it runs one.
function actionButtons(row, isSession) {
  if (!row.can_cancel) return [];
  const v = row.values;
  const buttons = [];
  if (!isSession || v.status === "ACTIVE") {
    buttons.push(el("button", {
      type: "button", class: "danger", "data-action": "cancel-query", "data-id": isSession ? v.session_id : v.query_id,
      onclick: () => confirmCancel("query", isSession ? null : v.query_id, v),
    }, "Cancel query"));
  }
  buttons.push(el("button", {
    type: "button", class: "danger", "data-action": "cancel-session", "data-id": v.session_id,
    onclick: () => confirmCancel("session", v.session_id, v),
  }, "Cancel session"));
  return buttons;
}

// --- cancel ------------------------------------------------------------------------------

async function confirmCancel(kind, id, values) {
  problem("");
  let query = values.active_queries || values.query || "";
  if (kind === "query" && id === null) {
    // A session row: its running query, as it is now.
    try {
      const page = await api("queries?session=" + encodeURIComponent(values.session_id) + "&internal=true");
      if (page.rows.length === 0) {
        problem("Session " + values.session_id + " runs no query now.");
        return;
      }
      id = page.rows[0].values.query_id;
      query = page.rows[0].values.query;
    } catch (e) {
      problem(describe(e));
      return;
    }
  }
  state.confirm = { kind, id, opener: document.activeElement };
  $("confirm-title").textContent = kind === "query" ? "Cancel query" : "Cancel session";
  $("confirm-text").textContent = kind === "query"
    ? `Cancel query ${id} of ${values.user_name}? It fails with SQLSTATE 57014; the session lives on.` + (query ? ` Query: ${query}` : "")
    : `Cancel session ${id} of ${values.user_name}? Its running query stops and the session ends.`;
  $("confirm-message").value = "";
  $("confirm-dialog").showModal();
  $("confirm-message").focus();
}

$("confirm-dialog").addEventListener("close", async () => {
  const c = state.confirm;
  state.confirm = null;
  if (!c) return;
  if (c.opener && document.contains(c.opener)) c.opener.focus();
  if ($("confirm-dialog").returnValue !== "ok") return;
  const message = $("confirm-message").value.trim();
  try {
    const reply = await api("cancel", message ? { kind: c.kind, id: c.id, message } : { kind: c.kind, id: c.id });
    say(`Cancelled ${reply.cancelled} ${c.kind === "query" ? "query" : "session"} ${c.id}.`);
  } catch (e) {
    problem(describe(e));
  }
  refresh();
});

// --- live updates ------------------------------------------------------------------------

function tickElapsed() {
  const now = state.serverNow + (Date.now() - state.fetchedAt);
  for (const td of document.querySelectorAll("td.elapsed")) {
    const start = Date.parse(td.dataset.start);
    td.textContent = isNaN(start) ? "" : ((now - start) / 1000).toFixed(1) + " s";
  }
}

// --- overview ----------------------------------------------------------------------------

const CAUSES = ["statement", "pg_cancel", "timeout", "idle_timeout", "connection_closed",
  "connection_expired", "shutdown", "memory"];
const COLORS = ["#2f6f3e", "#b3261e", "#8a5a00", "#1f5aa6", "#6b3fa0", "#007a7a", "#555", "#c05a00"];

// One chart per figure, drawn with uPlot: time on x, one line per series; the caption says
// the latest values in words for those who do not read the chart.
function chart(id, series, values, describeLast, yFormat) {
  const figure = $(id);
  const width = Math.max(280, Math.min(560, figure.parentElement.clientWidth / 2 - 24));
  const data = [values.time, ...series.map((s) => values[s])];
  let c = state.charts[id];
  if (!c || c.width !== width) {
    if (c) c.plot.destroy();
    const opts = {
      width, height: 180,
      series: [{}, ...series.map((s, i) => ({ label: s.replace(/_/g, " "), stroke: COLORS[i % COLORS.length], width: 2 }))],
      axes: [{}, { size: 80, values: (u, ticks) => ticks.map(yFormat || ((v) => v.toLocaleString())) }],
      scales: { x: { time: true } },
      legend: { show: true },
    };
    c = { plot: new uPlot(opts, data, figure), width };
    state.charts[id] = c;
  } else {
    c.plot.setData(data);
  }
  let caption = figure.querySelector(".latest");
  if (!caption) {
    caption = el("p", { class: "latest" });
    figure.append(caption);
  }
  caption.textContent = values.time.length ? "Latest: " + describeLast(values.time.length - 1) : "No samples yet.";
}

function renderOverview(overview) {
  $("overview-interval").textContent = overview.interval_seconds;
  const s = overview.samples;
  const col = (f) => s.map(f);
  const v = {
    time: col((x) => x.time_millis / 1000),
    ok: col((x) => x.ok_per_second), errors: col((x) => x.errors_per_second), canceled: col((x) => x.canceled_per_second),
    running: col((x) => x.running), queued: col((x) => x.queued),
    p99: col((x) => x.p99_seconds), memory: col((x) => x.sql_memory_bytes),
  };
  for (const cause of CAUSES) v[cause] = col((x) => x.cancels[cause] || 0);
  const fixed = (n) => n.toFixed(n < 10 ? 2 : 0);
  chart("chart-statements", ["ok", "errors", "canceled"], v,
    (i) => `${fixed(v.ok[i])} ok, ${fixed(v.errors[i])} errors, ${fixed(v.canceled[i])} canceled per second`);
  chart("chart-queries", ["running", "queued"], v, (i) => `${v.running[i]} running, ${v.queued[i]} queued`);
  chart("chart-latency", ["p99"], v, (i) => `p99 at most ${v.p99[i]} s`);
  chart("chart-memory", ["memory"], v, (i) => bytes(v.memory[i]) + " held", (n) => bytes(n));
  chart("chart-cancels", CAUSES, v, (i) => {
    const named = CAUSES.filter((c) => v[c][i] > 0).map((c) => `${v[c][i]} ${c.replace(/_/g, " ")}`);
    return named.length ? named.join(", ") : "none";
  });
}

for (const id of ["sessions-filters", "queries-filters", "cancellations-filters", "statements-filters"]) {
  const form = $(id);
  form.addEventListener("input", () => {
    state.offset[id.replace("-filters", "")] = 0;
    refresh();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
}

setInterval(() => {
  if (!$("confirm-dialog").open) refresh();
}, POLL_MS);
setInterval(tickElapsed, 200);

api("me").then(loggedIn, (e) => {
  if (e.status === 401) showLogin();
  else problem(describe(e));
});
