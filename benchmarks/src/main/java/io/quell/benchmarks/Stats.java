package io.quell.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A distribution of measurements in milliseconds. */
final class Stats {
  private final List<Double> values = new ArrayList<>();
  private int lost;
  private int finishedFirst;
  private int ranOn;

  void add(double millis) {
    values.add(millis);
  }

  /** A measurement that never completed (a cancel that did not stop its query). */
  void lost() {
    lost++;
  }

  /** A victim that returned its rows before the cancel was sent: not a measurement. */
  void finishedFirst() {
    finishedFirst++;
  }

  /**
   * A victim that returned its rows although the cancel had been sent: timed to its end,
   * since that is when its work stopped, and counted, since it should have failed.
   */
  void ranOn(double millis) {
    ranOn++;
    add(millis);
  }

  /** Everything {@code other} holds, added to this. */
  void addAll(Stats other) {
    values.addAll(other.values);
    lost += other.lost;
    finishedFirst += other.finishedFirst;
    ranOn += other.ranOn;
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

  double max() {
    return percentile(100);
  }

  /** p50, p99 and max, with how many were timed and how many fell outside. */
  String summary() {
    if (values.isEmpty()) {
      return "not run";
    }
    return String.format("p50 %.1f, p99 %.1f, max %.1f ms (n=%d, %d finished first%s%s)",
        median(), percentile(99), max(), count(), finishedFirst,
        ranOn == 0 ? "" : ", " + ranOn + " ran to the end after the cancel",
        lost == 0 ? "" : ", " + lost + " lost");
  }

  /** "p99/max (n)" only, for the rows of one query. */
  String tail() {
    return values.isEmpty() ? "- (0)" : String.format("%.1f/%.1f (%d%s)", percentile(99), max(),
        count(), ranOn == 0 ? "" : ", " + ranOn + " ran on");
  }
}
