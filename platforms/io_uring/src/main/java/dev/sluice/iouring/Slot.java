package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.ECANCELED;

import dev.sluice.spi.Operation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One entry of the backend's preallocated slot table: the operation the kernel is working on for
 * it, the state of its CQEs, and the native memory the kernel reads or writes until the final
 * CQE. A slot is reused only after that CQE (and its link timeout's) has been reaped, so memory
 * handed to the kernel is never reused early.
 */
final class Slot {
    static final byte FREE = 0;
    /** Waiting in the backend's backlog for room in the SQ; the kernel has not seen it. */
    static final byte QUEUED = 1;
    /** Its SQE (and link timeout) are in the SQ or the kernel. */
    static final byte SUBMITTED = 2;
    /** Its result is known; it completes at the next delivery in poll() or close(). */
    static final byte READY = 3;
    /** A multishot receive that ran out of buffers (-ENOBUFS), parked on its BufferRing until one comes back. */
    static final byte STARVED = 4;

    /** Bytes of the fixed per-slot scratch: a sockaddr for CONNECT, or msghdr + iovecs + sockaddr + control for msg ops. */
    static final long SCRATCH_BYTES = 512;

    final int index;
    int generation;
    byte state = FREE;
    Operation op;
    int kind;

    /** A LINK_TIMEOUT follows the op's SQE (deadlineNanos > 0). */
    boolean linked;
    boolean opDone;
    boolean linkDone;
    int res;
    int linkRes;
    /** When the op was first submitted, for the remaining deadline when EINTR/EAGAIN make us resubmit. */
    long startedNanos;
    /**
     * SPLICE: the request in the kernel is the IORING_OP_POLL_ADD that waits for the socket to be
     * ready (POLLIN or POLLOUT); the splice itself follows on the ring thread once it fires. See
     * IoUringBackend's SPLICE notes.
     */
    boolean polling;
    /**
     * A CANCEL targeted this operation (or its socket was closed): when its request comes back
     * with something that would make us submit it again (EINTR, EAGAIN, a fired readiness poll),
     * it completes with ECANCELED instead, so a cancel that missed the request because it was
     * between two submissions still takes effect.
     */
    boolean cancelRequested;
    /** CANCEL: the user_data of the target, fixed at submission so a later tenant of the target's slot is never hit. */
    long targetUserData;
    /** The CANCEL slot aimed at this operation (with {@link #cancelRequested}). */
    Slot cancelledBy;
    /**
     * CANCEL: its target ended with ECANCELED because of it, between two submissions, so the
     * kernel's -ENOENT for this cancel means "found", not "already done".
     */
    boolean targetCancelled;

    /** ACCEPT_MULTISHOT or RECV_MULTISHOT: CQEs with IORING_CQE_F_MORE come before the final one. */
    boolean multishot;
    /** RECV_MULTISHOT: the buffer ring its receives pick from. */
    BufferRing group;
    /** cqe.flags of the final CQE (a multishot receive's last buffer id rides in it). */
    int finalFlags;

    /** Lazily allocated fixed scratch, kept for the slot's lifetime. */
    MemorySegment scratch;
    /** The msghdr layout of the current msg op: {@link #scratch} or an oversize one from {@link #oversize}. */
    MemorySegment msg;
    /** Oversize msghdr layouts (many iovecs or fds); closed when the op completes. */
    Arena oversize;

    /** Intrusive link for the backlog and the ready list. */
    Slot next;

    Slot(int index) {
        this.index = index;
    }

    /** The link timeout fired: it ended with anything but -ECANCELED (-ETIME, or -EALREADY when the op was running). */
    boolean linkFired() {
        return linked && linkDone && linkRes != -ECANCELED;
    }

    long userData() {
        return UserData.pack(index, generation, kind);
    }

    long linkUserData() {
        return UserData.pack(index, generation, UserData.KIND_LINK_TIMEOUT);
    }

    /** Clears the per-operation state; the scratch memory stays for the next tenant. */
    void reset() {
        op = null;
        state = FREE;
        kind = 0;
        linked = false;
        opDone = false;
        linkDone = false;
        res = 0;
        linkRes = 0;
        startedNanos = 0;
        targetUserData = 0;
        polling = false;
        cancelRequested = false;
        multishot = false;
        group = null;
        finalFlags = 0;
        cancelledBy = null;
        targetCancelled = false;
        msg = null;
        next = null;
        if (oversize != null) {
            oversize.close();
            oversize = null;
        }
    }
}
