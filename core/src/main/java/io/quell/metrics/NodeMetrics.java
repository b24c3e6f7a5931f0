package io.quell.metrics;

import io.quell.activity.MemberStatus;
import io.quell.activity.Peers;
import io.quell.admission.AdmissionControl;
import io.quell.catalog.UserCatalog;
import io.quell.execution.Cancellations;
import io.quell.execution.plan.PlanCache;
import io.quell.memory.MemoryPool;
import io.quell.session.CancelCause;
import io.quell.session.RunningQuery;
import io.quell.session.SessionRegistry;
import io.quell.session.SessionStatus;
import io.quell.session.StatementOutcome;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The node's metrics in Micrometer, exposed in Prometheus' text format: the JVM's (heap, GC
 * pauses, threads, CPU), and the node's sessions, queries, statements by outcome and their
 * latency, cancellations by cause, plan cache, SQL memory, admission, cluster members and
 * catalog errors. Metrics carry counts only, never a statement, user or id, so that every
 * label has a few values at most. Most are read from the engine's own counters when scraped;
 * only the statements are counted here, as each finishes.
 */
public final class NodeMetrics implements AutoCloseable {
  /**
   * The latency histogram's bucket bounds: from a point lookup to a report that runs for
   * minutes, with enough between 100 ms and 10 s to alert on.
   */
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofMinutes(5)};
  /** The states of a cluster member, as {@code quell_internal.cluster_members} shows them. */
  private static final List<String> MEMBER_STATES =
      List.of("starting", "up", "not answering", "draining");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<StatementOutcome, Counter> statements = new EnumMap<>(StatementOutcome.class);
  private final Timer latency;
  private volatile MetricsHistory history;

  public NodeMetrics() {
    // Two of the processor binder's names break Prometheus' naming rules (promtool check
    // metrics): CPU time in "ns", and a gauge ending in "_count". process_cpu_usage and
    // system_cpu_usage tell the same.
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
        || id.getName().equals("system.cpu.count")));
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (StatementOutcome outcome : StatementOutcome.values()) {
      statements.put(outcome, Counter.builder("quell.statements")
          .description("Statements executed, by how they ended")
          .tag("outcome", outcome.label()).register(registry));
    }
    latency = Timer.builder("quell.statement.duration")
        .description("Time of executed statements from receipt to their last row or failure")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  /** The registry, for the front end's and the server's own meters (failed logins). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The metrics in Prometheus' text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  /** The last hour of samples, once {@link #bind} has given it the engine to read. */
  public MetricsHistory history() {
    return history;
  }

  /** Counts {@code query}, which has finished. */
  public void record(RunningQuery query) {
    statements.get(query.outcome()).increment();
    latency.record(query.elapsedNanos(), TimeUnit.NANOSECONDS);
  }

  /** Reads the engine's state and counters when scraped. */
  public void bind(SessionRegistry sessions, AdmissionControl admission, PlanCache planCache,
      Cancellations cancellations, UserCatalog catalog, Optional<Peers> peers,
      BooleanSupplier draining, StatementStatistics statistics) {
    history = new MetricsHistory(statements, latency, sessions, cancellations);
    for (SessionStatus state : List.of(SessionStatus.ACTIVE, SessionStatus.IDLE)) {
      Gauge.builder("quell.sessions", sessions,
              r -> r.sessions().stream()
                  .filter(s -> s.status() == state && !s.isInternal()).count())
          .description("Open sessions, by state; internal ones (the console's) left out").tag("state", label(state.name()))
          .register(registry);
    }
    Gauge.builder("quell.queries.running", sessions,
            r -> count(r, q -> q.phase() != RunningQuery.Phase.QUEUED))
        .description("Queries being planned or executed").register(registry);
    Gauge.builder("quell.queries.queued", sessions,
            r -> count(r, q -> q.phase() == RunningQuery.Phase.QUEUED))
        .description("Queries waiting to be admitted").register(registry);
    for (CancelCause cause : CancelCause.values()) {
      FunctionCounter.builder("quell.cancellations", cancellations, c -> c.count(cause))
          .description("Queries and sessions cancelled, by cause")
          .tag("cause", label(cause.name())).register(registry);
    }
    FunctionCounter.builder("quell.plan.cache.hits", planCache, c -> c.stats().hits())
        .description("Statements whose plan came from the plan cache").register(registry);
    FunctionCounter.builder("quell.plan.cache.misses", planCache, c -> c.stats().misses())
        .description("Statements planned afresh for the plan cache").register(registry);
    MemoryPool pool = sessions.memory();
    Gauge.builder("quell.sql.memory.used", pool, MemoryPool::used).baseUnit("bytes")
        .description("Memory the queries' operators hold").register(registry);
    Gauge.builder("quell.sql.memory.limit", pool, MemoryPool::limit).baseUnit("bytes")
        .description("Memory all queries together may hold (--max-sql-memory)")
        .register(registry);
    FunctionCounter.builder("quell.queries.stopped.memory", pool, MemoryPool::stoppedByLimit)
        .description("Queries stopped for memory, by what stopped them")
        .tag("by", "limit").register(registry);
    FunctionCounter.builder("quell.queries.stopped.memory", pool, MemoryPool::stoppedByGuard)
        .description("Queries stopped for memory, by what stopped them")
        .tag("by", "heap_guard").register(registry);
    Gauge.builder("quell.admission.queue", admission, a -> a.status().queued())
        .description("Queries in admission control's queue").register(registry);
    Gauge.builder("quell.admission.oldest.wait", admission,
            a -> a.status().oldestWaitMillis() / 1e3).baseUnit("seconds")
        .description("How long the oldest query in the queue has waited").register(registry);
    FunctionCounter.builder("quell.admission.rejected", admission, a -> a.status().rejected())
        .description("Queries refused because the queue was full (53000)").register(registry);
    for (String state : MEMBER_STATES) {
      Gauge.builder("quell.cluster.members", peers, p -> members(p, draining, state))
          .description("Cluster members as this node sees them, by state; a single node is "
              + "a cluster of one").tag("state", label(state)).register(registry);
    }
    FunctionCounter.builder("quell.catalog.errors", catalog, UserCatalog::errors)
        .description("Calls to the user catalog's database that failed").register(registry);
    Gauge.builder("quell.statement.statistics.entries", statistics, StatementStatistics::size)
        .description("Fingerprints the statement statistics hold (at most "
            + StatementStatistics.MAX_ENTRIES + ")").register(registry);
  }

  private static long count(SessionRegistry sessions, Predicate<RunningQuery> which) {
    return sessions.queries().stream()
        .filter(q -> q.isStatement() && !q.session().isInternal()).filter(which).count();
  }

  /** The members in {@code state}; a single node is up until it drains. */
  private static long members(Optional<Peers> peers, BooleanSupplier draining, String state) {
    if (peers.isEmpty()) {
      return state.equals(draining.getAsBoolean() ? "draining" : "up") ? 1 : 0;
    }
    return peers.get().members().stream()
        .filter(m -> m.kind() == MemberStatus.Kind.NODE && m.state().equals(state)).count();
  }

  /** A label value in Prometheus' spelling: lower case, words joined by underscores. */
  private static String label(String value) {
    return value.toLowerCase(Locale.ROOT).replace(' ', '_');
  }

  @Override public void close() {
    gc.close();
    registry.close();
  }
}
