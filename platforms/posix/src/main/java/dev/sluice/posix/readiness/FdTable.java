package dev.sluice.posix.readiness;

import java.util.Arrays;

/**
 * Per-fd state in an array indexed by the fd number, grown by doubling when a larger number shows
 * up. fds are small dense integers (the kernel hands out the lowest free one), so this beats a
 * map and allocates only when a new number is first seen.
 */
final class FdTable {
    /** No fd is larger than this; RLIMIT_NOFILE hard limits stay far below. */
    static final int FD_MAX = 1 << 24;

    private FdState[] states;

    FdTable(int initialCapacity) {
        states = new FdState[Math.max(16, initialCapacity)];
    }

    /** The state of {@code fd}, or null when it was never used. */
    FdState get(int fd) {
        return fd >= 0 && fd < states.length ? states[fd] : null;
    }

    FdState getOrCreate(int fd) {
        if (fd < 0 || fd > FD_MAX) throw new AssertionError("not an fd the engine can track: " + fd);
        if (fd >= states.length) {
            int capacity = states.length;
            while (capacity <= fd) capacity *= 2;
            states = Arrays.copyOf(states, capacity);
        }
        FdState s = states[fd];
        if (s == null) states[fd] = s = new FdState(fd);
        return s;
    }

    int capacity() {
        return states.length;
    }

    /** The state at index {@code i} (null when unused), for walking every fd at close. */
    FdState at(int i) {
        return states[i];
    }
}
