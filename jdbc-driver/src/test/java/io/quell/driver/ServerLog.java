package io.quell.driver;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A copy of what the in-process server logs (slf4j-simple writes to the current System.err)
 * and prints, while it is installed; the output still reaches the console.
 */
final class ServerLog implements AutoCloseable {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final PrintStream savedOut = System.out;
  private final PrintStream savedErr = System.err;

  private ServerLog() {
    System.setOut(tee(savedOut));
    System.setErr(tee(savedErr));
  }

  static ServerLog capture() {
    return new ServerLog();
  }

  private PrintStream tee(PrintStream original) {
    return new PrintStream(new OutputStream() {
      @Override public void write(int b) {
        original.write(b);
        synchronized (captured) {
          captured.write(b);
        }
      }

      @Override public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        synchronized (captured) {
          captured.write(b, off, len);
        }
      }
    }, true, StandardCharsets.UTF_8);
  }

  /** Everything captured so far. */
  String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  @Override public void close() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }
}
