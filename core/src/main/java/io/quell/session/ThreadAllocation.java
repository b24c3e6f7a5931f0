package io.quell.session;

import java.lang.management.ManagementFactory;

/** Per-thread allocation counters of the HotSpot JVM, or zero where the JVM has none. */
final class ThreadAllocation {
  private static final com.sun.management.ThreadMXBean BEAN = bean();

  private ThreadAllocation() {
  }

  private static com.sun.management.ThreadMXBean bean() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean b
        && b.isThreadAllocatedMemorySupported()) {
      b.setThreadAllocatedMemoryEnabled(true);
      return b;
    }
    return null;
  }

  static long bytes(long threadId) {
    return BEAN == null ? 0 : Math.max(0, BEAN.getThreadAllocatedBytes(threadId));
  }
}
