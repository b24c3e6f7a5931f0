package io.quell.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * bin/quell-sql at a terminal: run by util-linux's {@code script} in a pseudo-terminal of 120
 * columns, so that it is interactive and keys typed here reach it as from a keyboard (Ctrl-C
 * becomes SIGINT from the terminal's line discipline).
 */
final class TerminalSession implements AutoCloseable {
  static final Path SCRIPT = Path.of("/usr/bin/script");
  static final char CTRL_C = '\u0003';

  private final Process script;
  private final OutputStream keyboard;
  private final Path screen;

  private TerminalSession(Process script, Path screen) {
    this.script = script;
    this.keyboard = script.getOutputStream();
    this.screen = screen;
  }

  static TerminalSession start(Installation installation, Path dir, List<String> args)
      throws IOException {
    String command = "stty cols 120 rows 40; exec " + installation.command("quell-sql") + " "
        + args.stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
            .collect(Collectors.joining(" "));
    Path screen = dir.resolve("terminal.out");
    return new TerminalSession(installation.process(List.of(SCRIPT.toString(), "--quiet",
        "--flush", "--return", "--command", command, "/dev/null")).redirectErrorStream(true)
        .redirectOutput(screen.toFile()).start(), screen);
  }

  void type(String keys) throws IOException {
    keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  String screen() throws IOException {
    return Files.readString(screen);
  }

  /** Waits until the screen shows {@code text}, and answers the screen. */
  String awaitScreen(String text) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      String now = screen();
      if (now.contains(text)) {
        return now;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the terminal never showed " + text + ":\n" + screen());
  }

  /** Sends {@code signal} to the shell's JVM, as the terminal or the window system would. */
  void signal(String signal) throws IOException, InterruptedException {
    long java = script.toHandle().descendants()
        .filter(p -> p.info().command().orElse("").endsWith("/java"))
        .findFirst().orElseThrow().pid();
    if (new ProcessBuilder("kill", "-" + signal, String.valueOf(java)).start().waitFor() != 0) {
      throw new IOException("could not send SIG" + signal + " to " + java);
    }
  }

  /** Waits for the shell to end; its exit status. */
  int awaitExit() throws InterruptedException {
    if (!script.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the shell did not end");
    }
    return script.exitValue();
  }

  @Override public void close() {
    script.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    script.destroyForcibly();
  }
}
