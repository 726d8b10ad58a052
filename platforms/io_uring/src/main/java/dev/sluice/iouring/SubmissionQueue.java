package dev.sluice.iouring;

import static dev.sluice.bindings.linux.io_uring_h.IORING_SQ_CQ_OVERFLOW;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SQ_TASKRUN;

import dev.sluice.bindings.linux.io_sqring_offsets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The submission queue: the kernel-shared SQ ring (head, tail, flags, index array) and the SQE
 * array, both mmap'd by {@link IoUring}. Mirrors liburing 2.3's {@code struct io_uring_sq} and
 * {@code src/queue.c}.
 *
 * <pre>
 * SQ ring (shared mmap, offsets from io_uring_params.sq_off):
 *   head  u32   written by the kernel as it consumes SQEs    -> we load-acquire it
 *   tail  u32   written by us to publish SQEs                -> we store-release it
 *   flags u32   IORING_SQ_CQ_OVERFLOW, IORING_SQ_TASKRUN     -> written by the kernel
 *   array u32 × entries   index into the SQE array; set once to the identity, as liburing 2.3 does
 * SQEs: 64 bytes × entries, written by {@link SqeEncoder} at the offset {@link #next()} returns
 * </pre>
 *
 * Only the ring's owner thread touches this (no SQPOLL), so {@code sqeTail} needs no atomics; the
 * acquire/release pairs order our memory against the kernel's.
 */
final class SubmissionQueue {
    /** Coordinates (MemorySegment, long offset); atomic access modes need aligned offsets, which the kernel gives. */
    private static final VarHandle U32 = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long headAt;
    private final long tailAt;
    private final long flagsAt;
    private final long droppedAt;
    final int entries;
    private final int mask;

    /** liburing sq->sqe_tail: the next entry to hand out; entries before it are written. */
    private int sqeTail;
    /** The tail value last published to the kernel (liburing sq->sqe_head after a flush). */
    private int published;

    SubmissionQueue(MemorySegment ring, MemorySegment sqOff, MemorySegment sqes) {
        this.ring = ring;
        this.sqes = sqes;
        this.headAt = Integer.toUnsignedLong(io_sqring_offsets.head(sqOff));
        this.tailAt = Integer.toUnsignedLong(io_sqring_offsets.tail(sqOff));
        this.flagsAt = Integer.toUnsignedLong(io_sqring_offsets.flags(sqOff));
        this.droppedAt = Integer.toUnsignedLong(io_sqring_offsets.dropped(sqOff));
        this.entries = ring.get(ValueLayout.JAVA_INT, Integer.toUnsignedLong(io_sqring_offsets.ring_entries(sqOff)));
        this.mask = ring.get(ValueLayout.JAVA_INT, Integer.toUnsignedLong(io_sqring_offsets.ring_mask(sqOff)));
        if (Integer.bitCount(entries) != 1 || mask != entries - 1) {
            throw new AssertionError("SQ ring reports entries " + entries + " and mask " + mask);
        }
        long arrayAt = Integer.toUnsignedLong(io_sqring_offsets.array(sqOff));
        // Slot i of the index array names SQE i forever, so publishing is only a tail store
        // (liburing 2.3 io_uring_queue_mmap does the same).
        for (int i = 0; i < entries; i++) ring.set(ValueLayout.JAVA_INT, arrayAt + 4L * i, i);
        this.sqeTail = (int) U32.getAcquire(ring, tailAt);
        this.published = sqeTail;
    }

    /** The SQE array; {@link #next()} returns byte offsets into it. */
    MemorySegment sqes() {
        return sqes;
    }

    /**
     * io_uring_get_sqe: the byte offset of a free SQE for the caller to fill, or -1 when the ring
     * is full (flush, enter, and retry).
     */
    long next() {
        // Acquire: the kernel releases head only after it has copied the SQEs below it, so those
        // entries are ours to overwrite once we have seen the new head.
        int head = (int) U32.getAcquire(ring, headAt);
        if (sqeTail - head >= entries) return -1;
        long at = (long) (sqeTail & mask) * SqeEncoder.SQE_BYTES;
        sqeTail++;
        return at;
    }

    /** Free entries right now (io_uring_sq_space_left). */
    int space() {
        return entries - (sqeTail - (int) U32.getAcquire(ring, headAt));
    }

    /**
     * __io_uring_flush_sq: publishes the SQEs written since the last flush and returns how many
     * the kernel has not consumed yet, which is what io_uring_enter's {@code to_submit} takes.
     */
    int flush() {
        if (published != sqeTail) {
            // Release: the SQE bytes written above must be visible before the kernel sees the new
            // tail; io_uring_enter reads the tail and then the entries.
            U32.setRelease(ring, tailAt, sqeTail);
            published = sqeTail;
        }
        return sqeTail - (int) U32.getAcquire(ring, headAt);
    }

    /** SQEs written and not yet consumed by the kernel (published or not). */
    int pending() {
        return sqeTail - (int) U32.getAcquire(ring, headAt);
    }

    private int flags() {
        // Acquire (liburing uses READ_ONCE): a fresh read each time; the kernel sets these bits
        // from other contexts (overflow, task work).
        return (int) U32.getAcquire(ring, flagsAt);
    }

    /** The kernel holds CQEs that did not fit the CQ (IORING_FEAT_NODROP); an enter with GETEVENTS flushes them. */
    boolean cqOverflow() {
        return (flags() & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /**
     * liburing cq_ring_needs_flush: completions wait in the kernel, either as task work (set with
     * IORING_SETUP_TASKRUN_FLAG) or on the overflow list; only io_uring_enter with GETEVENTS posts them.
     */
    boolean needsEnterForCompletions() {
        return (flags() & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)) != 0;
    }

    /** SQEs the kernel dropped as invalid (sq_off.dropped); stays 0 unless we wrote a bad index. */
    int dropped() {
        return (int) U32.getAcquire(ring, droppedAt);
    }
}
