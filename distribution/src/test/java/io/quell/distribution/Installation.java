package io.quell.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built tarball unpacked into a directory, as a user installs it, and its commands run from
 * there. The shells' home directory (history, sqlline's settings) is a directory of the test's.
 */
final class Installation {
  static final String ROOT_PASSWORD = "distribution-root";

  final Path home;
  private final Path userHome;

  private Installation(Path home, Path userHome) {
    this.home = home;
    this.userHome = userHome;
  }

  /** Unpacks the tarball {@code mvn package} built into {@code dir}. */
  static Installation unpack(Path dir) throws IOException, InterruptedException {
    Path tarball = Path.of(System.getProperty("quell.distribution"));
    Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString())
        .inheritIO().start();
    if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
      throw new IOException("could not unpack " + tarball);
    }
    Path userHome = Files.createDirectories(dir.resolve("user-home"));
    return new Installation(dir.resolve("quell-" + System.getProperty("quell.version")), userHome);
  }

  Path command(String name) {
    return home.resolve("bin").resolve(name);
  }

  /** Starts bin/quell-server on a free port with a fresh data directory and the sample data. */
  ServerProcess startServer(Path dir, String... flags) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(command("quell-server").toString(),
        "--port", "0", "--pg-port", "0", "--data-dir", dir.resolve("data").toString(),
        "--root-password", ROOT_PASSWORD));
    command.addAll(List.of(flags));
    return ServerProcess.start(process(command), dir);
  }

  /** A process run from the distribution's directory, its JVMs' home directory the test's. */
  ProcessBuilder process(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
    builder.environment().put("JAVA_OPTS", "-Duser.home=" + userHome);
    return builder;
  }

  /** A bin/quell-sql process, its standard input a pipe, with {@code env} added. */
  ProcessBuilder sql(Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>(List.of(command("quell-sql").toString()));
    command.addAll(args);
    ProcessBuilder builder = process(command);
    builder.environment().putAll(env);
    return builder;
  }

  /** Runs bin/quell-sql with {@code input} on its standard input, to its end. */
  ShellRun runSql(String input, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Process shell = sql(env, List.of(args)).start();
    try (var in = shell.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    return ShellRun.await(shell);
  }

  /** Runs bin/quell-sql with nothing on its standard input, to its end. */
  ShellRun runSql(String... args) throws IOException, InterruptedException {
    return runSql("", Map.of(), args);
  }
}
