package dev.sluice.iouring;

import dev.sluice.bindings.linux.io_cqring_offsets;
import dev.sluice.bindings.linux.io_uring_cqe;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The completion queue in the kernel-shared ring mmap'd by {@link IoUring}. Mirrors liburing
 * 2.3's {@code struct io_uring_cq} and the CQE helpers of {@code liburing.h}.
 *
 * <pre>
 * CQ ring (offsets from io_uring_params.cq_off; same mapping as the SQ ring with IORING_FEAT_SINGLE_MMAP):
 *   head     u32   written by us after reading CQEs          -> we store-release it
 *   tail     u32   written by the kernel after posting CQEs   -> we load-acquire it
 *   overflow u32   CQEs the kernel dropped (0 with IORING_FEAT_NODROP unless out of memory)
 *   cqes     16 bytes × entries: { u64 user_data; s32 res; u32 flags; }
 * </pre>
 *
 * The reading pattern is liburing's io_uring_peek_batch_cqe then io_uring_cq_advance: read
 * {@link #ready()} once, read that many entries with {@link #userData}, {@link #res} and
 * {@link #flags}, then {@link #advance} past them.
 */
final class CompletionQueue {
    private static final VarHandle U32 = ValueLayout.JAVA_INT.varHandle();
    private static final long CQE_BYTES = io_uring_cqe.SIZEOF;

    private final MemorySegment ring;
    private final long headAt;
    private final long tailAt;
    private final long overflowAt;
    private final long cqesAt;
    final int entries;
    private final int mask;

    /** Our copy of head: only this thread writes the kernel's head. */
    private int head;

    CompletionQueue(MemorySegment ring, MemorySegment cqOff) {
        this.ring = ring;
        this.headAt = Integer.toUnsignedLong(io_cqring_offsets.head(cqOff));
        this.tailAt = Integer.toUnsignedLong(io_cqring_offsets.tail(cqOff));
        this.overflowAt = Integer.toUnsignedLong(io_cqring_offsets.overflow(cqOff));
        this.cqesAt = Integer.toUnsignedLong(io_cqring_offsets.cqes(cqOff));
        this.entries = ring.get(ValueLayout.JAVA_INT, Integer.toUnsignedLong(io_cqring_offsets.ring_entries(cqOff)));
        this.mask = ring.get(ValueLayout.JAVA_INT, Integer.toUnsignedLong(io_cqring_offsets.ring_mask(cqOff)));
        if (Integer.bitCount(entries) != 1 || mask != entries - 1) {
            throw new AssertionError("CQ ring reports entries " + entries + " and mask " + mask);
        }
        this.head = (int) U32.getAcquire(ring, headAt);
    }

    /** io_uring_cq_ready: CQEs posted and not yet consumed. */
    int ready() {
        // Acquire: the kernel stores the CQE and then release-stores tail; seeing the tail makes
        // the entries below it safe to read.
        return (int) U32.getAcquire(ring, tailAt) - head;
    }

    /** Byte offset of the {@code i}-th ready CQE (0 is the oldest), as io_uring_peek_batch_cqe indexes them. */
    private long at(int i) {
        return cqesAt + (long) ((head + i) & mask) * CQE_BYTES;
    }

    long userData(int i) {
        return ring.get(ValueLayout.JAVA_LONG, at(i) + io_uring_cqe.OFFSET_user_data);
    }

    int res(int i) {
        return ring.get(ValueLayout.JAVA_INT, at(i) + io_uring_cqe.OFFSET_res);
    }

    int flags(int i) {
        return ring.get(ValueLayout.JAVA_INT, at(i) + io_uring_cqe.OFFSET_flags);
    }

    /** io_uring_cq_advance: hands {@code n} read entries back to the kernel. */
    void advance(int n) {
        head += n;
        // Release: our reads of those CQEs must be done before the kernel may overwrite them,
        // which it does as soon as it sees the new head.
        U32.setRelease(ring, headAt, head);
    }

    /** CQEs lost for good (kernel's cq overflow counter); nonzero only when the kernel could not even queue them. */
    int overflow() {
        return (int) U32.getAcquire(ring, overflowAt);
    }
}
