package io.quell.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A running bin/quell-server, its standard output and error in files. */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("listening on http://localhost:(\\d+)");
  private static final long START_MILLIS = 60_000;

  private final Process process;
  private final Path out;
  private final Path err;
  private final int port;

  private ServerProcess(Process process, Path out, Path err, int port) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.port = port;
  }

  /** Starts the server and waits until it says where it listens. */
  static ServerProcess start(ProcessBuilder builder, Path dir)
      throws IOException, InterruptedException {
    Path out = dir.resolve("server.out");
    Path err = dir.resolve("server.err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      Matcher listening = LISTENING.matcher(Files.readString(out));
      if (listening.find()) {
        return new ServerProcess(process, out, err, Integer.parseInt(listening.group(1)));
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new IOException("bin/quell-server did not start:\n" + Files.readString(out)
        + Files.readString(err));
  }

  String url() {
    return "jdbc:quell://localhost:" + port;
  }

  int port() {
    return port;
  }

  /** Sends SIGTERM, as a service manager stops a service, without waiting. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the server to exit by itself within {@code seconds}; its exit code. */
  int awaitExit(long seconds) throws InterruptedException, IOException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("still running after " + seconds + " s:\n" + console());
    }
    return process.exitValue();
  }

  /** Everything the server wrote to standard output and standard error so far. */
  String console() throws IOException {
    return Files.readString(out) + Files.readString(err);
  }

  /** A JDBC connection of the test's own, to set up and watch what the shell does. */
  Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection(url(), user, password);
  }

  /** Stops the server as a service manager does, with SIGTERM. */
  @Override public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
