package io.quell.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the server logs while it is open: the tests' logger (slf4j-simple) writes to whatever
 * {@code System.err} is at the time, which this copies while still passing it on.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  public LogCapture() {
    OutputStream tee = new OutputStream() {
      @Override public void write(int b) {
        synchronized (copy) {
          copy.write(b);
        }
        original.write(b);
      }

      @Override public void write(byte[] b, int off, int len) {
        synchronized (copy) {
          copy.write(b, off, len);
        }
        original.write(b, off, len);
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Whether a line logged so far contains {@code text}. */
  public boolean contains(String text) {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.contains(text));
    }
  }

  /** The lines logged so far. */
  public java.util.List<String> lines() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Override public void close() {
    System.setErr(original);
  }
}
