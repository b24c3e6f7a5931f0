package io.quell.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster from the machine's PostgreSQL binaries (Debian's package),
 * as benchmarks/run.sh runs one: initdb into a temporary directory, listening on a free
 * loopback port only (or on an address of the test's own, {@link #startOn}), trusting every
 * local connection, stopped with {@code -m immediate} and deleted on close. initdb refuses to run as root, so as root the server runs as the package's
 * {@code postgres} user. Without PostgreSQL installed, the calling test is skipped, except on CI
 * (the CI variable set), where .ci/run installs it and a missing server must fail the build.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "quell";
  private static final String DEBIAN_BINARIES = "/usr/lib/postgresql";
  private static final int START_ATTEMPTS = 3;

  private final Path bin;
  private final Path dir;
  private final boolean asPostgres;
  private final InetAddress address;
  private int port;

  private PostgresServer(Path bin, Path dir, boolean asPostgres, InetAddress address) {
    this.bin = bin;
    this.dir = dir;
    this.asPostgres = asPostgres;
    this.address = address;
  }

  /** Creates and starts a cluster with superuser {@link #USER} and database postgres. */
  public static PostgresServer start() throws IOException, InterruptedException {
    return startOn(InetAddress.getLoopbackAddress(), null);
  }

  /**
   * Like {@link #start()}, but listening on {@code address} (one of this machine's, such as a
   * test network's bridge) and trusting connections from {@code clients} too, a CIDR network
   * such as {@code 10.77.1.0/24}, or null for local connections only.
   */
  public static PostgresServer startOn(InetAddress address, String clients)
      throws IOException, InterruptedException {
    Path bin = binaries();
    boolean asPostgres = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("quell-pg-");
    PostgresServer server = new PostgresServer(bin, dir, asPostgres, address);
    try {
      if (asPostgres) {
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
      }
      server.run(bin.resolve("initdb") + " -D " + server.data() + " -A trust -U " + USER
          + " -E UTF8 --locale=C --no-sync");
      if (clients != null) {
        server.run("echo 'host all all " + clients + " trust' >> "
            + server.data().resolve("pg_hba.conf"));
      }
      server.startOnFreePort();
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + address.getHostAddress() + ":" + port + "/postgres";
  }

  /**
   * The fields of a model's {@code jdbc} schema (or the operand of Calcite's JDBC schema
   * factory) over this server's public schema.
   */
  public String jdbcOperand() {
    return "\"jdbcUrl\": \"" + jdbcUrl() + "\", \"jdbcUser\": \"" + USER
        + "\", \"jdbcPassword\": \"\", \"jdbcDriver\": \"org.postgresql.Driver\", "
        + "\"jdbcSchema\": \"public\"";
  }

  /** A Quell query of the slow view through a model's schema {@code pg}: blocks for 30 s. */
  public static final String SLOW_QUERY = "SELECT n FROM pg.slow";
  /** What PostgreSQL shows as the query of a backend that reads the slow view. */
  public static final String SLOW_VIEW = "\"slow\"";

  /**
   * Creates {@code slow}, a view whose rows take 30 s inside PostgreSQL, and {@code numbers},
   * three rows, for tests of work pushed down to PostgreSQL.
   */
  public void createSlowView() throws SQLException {
    try (Connection pg = connect(); java.sql.Statement s = pg.createStatement()) {
      s.execute("CREATE VIEW slow AS SELECT 1 AS n FROM pg_sleep(30)");
      s.execute("CREATE TABLE numbers AS SELECT generate_series(1, 3) AS n");
    }
  }

  /** A new superuser connection to database postgres. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, "");
  }

  /**
   * The backends, other than the caller's, in {@code state} ('active', 'idle', ...) whose
   * current or, once idle, last query contains {@code text}.
   */
  public List<Integer> backends(String state, String text) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT pid "
        + "FROM pg_stat_activity WHERE state = ? AND strpos(query, ?) > 0 "
        + "AND pid <> pg_backend_pid()")) {
      s.setString(1, state);
      s.setString(2, text);
      List<Integer> pids = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          pids.add(rows.getInt(1));
        }
      }
      return pids;
    }
  }

  /** The state of backend {@code pid} in pg_stat_activity, or null if it is gone. */
  public String backendState(int pid) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
        "SELECT state FROM pg_stat_activity WHERE pid = ?")) {
      s.setInt(1, pid);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  /** Stops the server at once, as a crash would, and deletes its files. */
  @Override public void close() {
    try {
      if (Files.exists(data().resolve("postmaster.pid"))) {
        run(pgCtl() + " -m immediate stop");
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("could not stop PostgreSQL in " + dir, e);
    } finally {
      delete(dir);
    }
  }

  /** Another test or process may take a port between choosing it and binding it: retried. */
  private void startOnFreePort() throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      port = freePort(address);
      try {
        run(pgCtl() + " -o '-p " + port + " -k " + dir
            + " -c listen_addresses=" + address.getHostAddress() + " -c fsync=off' -l "
            + dir.resolve("log")
            + " -w -t 60 start");
        return;
      } catch (IOException e) {
        if (attempt == START_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private String pgCtl() {
    return bin.resolve("pg_ctl") + " -D " + data();
  }

  private Path data() {
    return dir.resolve("data");
  }

  /** Runs {@code command} with bash, as postgres when this JVM is root; fails unless it exits 0. */
  private void run(String command) throws IOException, InterruptedException {
    List<String> argv = asPostgres
        ? List.of("su", "postgres", "-s", "/bin/bash", "-c", command)
        : List.of("/bin/bash", "-c", command);
    Path output = Files.createTempFile("quell-pg-command-", ".log");
    try {
      Process process = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + command);
      }
      if (process.exitValue() != 0) {
        String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
        throw new IOException("failed (" + process.exitValue() + "): " + command + "\n"
            + Files.readString(output) + log);
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** The newest installed PostgreSQL's bin directory; skips or fails the test without one. */
  private static Path binaries() throws IOException {
    Path root = Path.of(DEBIAN_BINARIES);
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Path newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparingInt(PostgresServer::majorVersion)).orElse(null);
        if (newest != null) {
          return newest;
        }
      }
    }
    String message = "PostgreSQL is not installed (no " + DEBIAN_BINARIES + "/*/bin/initdb); "
        + "install Debian's postgresql package";
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty()) {
      throw new IllegalStateException(message + ": CI must run the tests against PostgreSQL");
    }
    return Assumptions.abort(message);
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int freePort(InetAddress address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, address)) {
      return socket.getLocalPort();
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}
