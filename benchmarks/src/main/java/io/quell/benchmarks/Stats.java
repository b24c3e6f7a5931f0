package io.quell.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A distribution of measurements in milliseconds. */
final class Stats {
  private final List<Double> values = new ArrayList<>();
  private int lost;

  void add(double millis) {
    values.add(millis);
  }

  /** A measurement that never completed (a cancel that did not stop its query). */
  void lost() {
    lost++;
  }

  int count() {
    return values.size();
  }

  double percentile(double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  double median() {
    return percentile(50);
  }

  String p50p99() {
    return values.isEmpty() ? "not run"
        : String.format("p50 %.1f ms, p99 %.1f ms (n=%d%s)", percentile(50), percentile(99),
            count(), lost == 0 ? "" : ", " + lost + " lost");
  }
}
