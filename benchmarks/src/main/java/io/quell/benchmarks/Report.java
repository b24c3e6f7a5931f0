package io.quell.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The one table the harness prints: each figure beside its baseline, target and verdict. */
final class Report {
  private record Row(String figure, String quell, String baseline, String ratio, String target) {
  }

  private final List<Row> rows = new ArrayList<>();

  void add(String figure, String quell, String baseline, String ratio, String target) {
    rows.add(new Row(figure, quell, baseline, ratio, target));
  }

  void print(PrintStream out) {
    int[] w = {6, 5, 8, 5, 6};
    for (Row r : rows) {
      w[0] = Math.max(w[0], r.figure().length());
      w[1] = Math.max(w[1], r.quell().length());
      w[2] = Math.max(w[2], r.baseline().length());
      w[3] = Math.max(w[3], r.ratio().length());
      w[4] = Math.max(w[4], r.target().length());
    }
    String format = "| %-" + w[0] + "s | %-" + w[1] + "s | %-" + w[2] + "s | %-" + w[3]
        + "s | %-" + w[4] + "s |%n";
    out.printf(format, "figure", "quell", "baseline", "ratio", "target");
    out.printf(format, "-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]), "-".repeat(w[3]),
        "-".repeat(w[4]));
    for (Row r : rows) {
      out.printf(format, r.figure(), r.quell(), r.baseline(), r.ratio(), r.target());
    }
  }
}
