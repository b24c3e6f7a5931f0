package io.quell.driver;

import io.quell.server.ServerMain;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster member as a real process, a JVM of its own running {@link ServerMain} on this
 * test's class path, with root's password {@link ServerFixture#ROOT_PASSWORD}, the cluster
 * secret in the environment and small sample data. Its output is kept (the last lines) for a
 * failing test to show.
 */
final class MemberProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("JDBC URL: jdbc:quell://(\\S+)");
  private static final int KEPT_LINES = 200;

  private final Process process;
  private final String address;
  private final Deque<String> output;

  private MemberProcess(Process process, String address, Deque<String> output) {
    this.process = process;
    this.address = address;
    this.output = output;
  }

  /**
   * Starts {@code ServerMain} with {@code options} (--zookeeper, --catalog-url, ...), run
   * through {@code launcher} (empty, or a prefix such as {@code ip netns exec ns}); returns once
   * the member listens and has joined, or fails if it exits or takes over 3 minutes.
   */
  static MemberProcess start(List<String> launcher, String secret, List<String> options)
      throws Exception {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
        "--scale", "0.01", "--root-password", ServerFixture.ROOT_PASSWORD));
    command.addAll(options);
    return start(command, secret);
  }

  /**
   * A single node in a JVM started with {@code jvmOptions} (a small heap, say), on loopback,
   * with root's password and {@code options}; its scale among them.
   */
  static MemberProcess server(List<String> jvmOptions, List<String> options) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        ServerMain.class.getName(), "--host", "127.0.0.1", "--port", "0", "--pg-port", "0",
        "--root-password", ServerFixture.ROOT_PASSWORD));
    command.addAll(options);
    return start(command, null);
  }

  private static MemberProcess start(List<String> command, String secret) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (secret != null) {
      builder.environment().put("QUELL_CLUSTER_SECRET", secret);
    }
    Process process = builder.start();
    Deque<String> output = new ArrayDeque<>();
    CompletableFuture<String> address = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(process, output, address), "member-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new MemberProcess(process, address.get(180, TimeUnit.SECONDS), output);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("member did not start: " + e + "\n" + tail(output), e);
    }
  }

  private static void read(Process process, Deque<String> output,
      CompletableFuture<String> address) {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        synchronized (output) {
          output.addLast(line);
          if (output.size() > KEPT_LINES) {
            output.removeFirst();
          }
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          address.complete(m.group(1));
        }
      }
      address.completeExceptionally(new IllegalStateException("member exited"));
    } catch (Exception e) {
      address.completeExceptionally(e);
    }
  }

  /** host:port of the member's JDBC URL, as it printed it. */
  String address() {
    return address;
  }

  Process process() {
    return process;
  }

  /** The last lines the member printed. */
  String output() {
    return tail(output);
  }

  private static String tail(Deque<String> output) {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** Kills the member, as a crash would, and waits for it to be gone. */
  @Override public void close() throws InterruptedException {
    process.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
  }
}
