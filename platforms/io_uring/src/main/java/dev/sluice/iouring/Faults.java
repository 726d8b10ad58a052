package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.EINTR;
import static dev.sluice.bindings.linux.io_uring_h.IORING_NOP_INJECT_RESULT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_NOP;

import dev.sluice.Op;
import java.lang.foreign.MemorySegment;

/**
 * Test-only fault injection for paths a healthy kernel never takes on this machine: setup flags
 * refused with EINVAL (older kernels), io_uring_enter interrupted by a signal or out of memory,
 * and requests that come back with -EINTR or -EAGAIN. Package-private; a test sets
 * {@link #NEXT_OPEN} on its thread before opening a ring, keeps the object, and changes its
 * counters between operations (all on the owner thread). Production rings have none: every hook
 * is behind a null check.
 *
 * <p>Request results are injected by the kernel itself: the operation's SQE is replaced by an
 * IORING_OP_NOP with IORING_NOP_INJECT_RESULT (Linux 6.10), which completes with the chosen
 * result under the operation's own user_data. So the CQE takes the real path (generation check,
 * link timeout, retry) and no real result is thrown away.
 */
final class Faults {
    /** Consumed by the next {@code IoUringBackend.open} on this thread. */
    static final ThreadLocal<Faults> NEXT_OPEN = new ThreadLocal<>();

    /** IORING_SETUP_* flags that setup treats as refused (EINVAL) without asking the kernel. */
    int refuseSetupFlags;
    /** How many of the next io_uring_enter calls fail with {@link #enterErrno} before reaching the kernel. */
    int enterFailures;
    int enterErrno = EINTR;
    /** The next {@link #opFailures} submissions of {@link #op} complete with {@link #opResult} (a -errno) instead. */
    Op op;
    int opFailures;
    int opResult = -EINTR;
    /** What was injected, for the tests' checks. */
    int enterInjected;
    int opInjected;

    static Faults take() {
        Faults f = NEXT_OPEN.get();
        NEXT_OPEN.remove();
        return f;
    }

    /** True when this io_uring_enter should fail; then {@link #enterErrno} is its errno. */
    boolean failEnter() {
        if (enterFailures <= 0) return false;
        enterFailures--;
        enterInjected++;
        return true;
    }

    /** Writes the NOP that stands in for this submission of {@code kind}, if one is due. */
    boolean replace(Op kind, MemorySegment sqes, long at, long userData) {
        if (kind != op || opFailures <= 0) return false;
        opFailures--;
        opInjected++;
        // nop_flags share the op-flags word; the injected result travels in len.
        SqeEncoder.rw(sqes, at, IORING_OP_NOP, -1, 0, opResult, 0, IORING_NOP_INJECT_RESULT, userData);
        return true;
    }
}
