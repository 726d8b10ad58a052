package dev.sluice.iouring;

import static dev.sluice.bindings.linux.io_uring_h.IORING_REGISTER_PBUF_RING;
import static dev.sluice.bindings.linux.io_uring_h.IORING_UNREGISTER_PBUF_RING;

import dev.sluice.SluiceException;
import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.io_uring_buf;
import dev.sluice.bindings.linux.io_uring_buf_reg;
import dev.sluice.bindings.linux.io_uring_buf_ring;
import dev.sluice.bindings.linux.syscall_h;
import dev.sluice.posix.LinuxErrno;
import dev.sluice.spi.BufferGroup;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19; liburing's
 * {@code io_uring_setup_buf_ring}): {@code count} entries of {@code struct io_uring_buf} that we
 * fill and the kernel consumes as receives pick buffers.
 *
 * <pre>
 *   entry i (16 bytes): addr u64 | len u32 | bid u16 | resv u16
 *   the u16 at byte 14 of entry 0 (its resv) is the ring's tail:  written by us -> store-release
 *   the head lives in the kernel; a CQE with IORING_CQE_F_BUFFER tells which bid it consumed
 * </pre>
 *
 * <p>We only ever append (io_uring_buf_ring_add) and publish the tail
 * (io_uring_buf_ring_advance). The kernel hands buffers out in ring order, so it never reads an
 * entry we are writing: we write at {@code tail}, it reads below it. A receive that finds the ring
 * empty ends with -ENOBUFS; the backend parks it on {@link #starvedHead} and {@link #recycle}
 * re-arms it.
 */
final class BufferRing extends BufferGroup {
    private static final VarHandle U16 = ValueLayout.JAVA_SHORT.varHandle();

    private final IoUringBackend backend;
    private final int ringFd;
    final int groupId;
    // Shared: a ring whose owner thread ended is closed from another thread.
    private final Arena ringArena = Arena.ofShared();
    private final MemorySegment entries;
    private final int mask;
    private int tail;
    /** Buffers published to the kernel and not yet consumed by a CQE. */
    private int inKernel;
    /** RECV_MULTISHOT slots waiting for a buffer after -ENOBUFS, linked through Slot.next. */
    Slot starvedHead;

    BufferRing(IoUringBackend backend, int ringFd, int groupId, int count, int size, MemorySegment errno) throws SluiceException {
        super(count, size);
        this.backend = backend;
        this.ringFd = ringFd;
        this.groupId = groupId;
        this.mask = count - 1;
        this.entries = ringArena.allocate(io_uring_buf.SIZEOF * count, 4096);
        MemorySegment reg = ringArena.allocate(io_uring_buf_reg.layout());
        io_uring_buf_reg.ring_addr(reg, entries.address());
        io_uring_buf_reg.ring_entries(reg, count);
        io_uring_buf_reg.bgid(reg, (short) groupId);
        int r = syscall_h.io_uring_register(errno, ringFd, IORING_REGISTER_PBUF_RING, reg, 1);
        if (r < 0) {
            int e = CapturedErrno.errno(errno);
            ringArena.close();
            super.close();
            throw new SluiceException("io_uring_register(IORING_REGISTER_PBUF_RING, " + count + " entries, group " + groupId + ")"
                    + " (needs Linux 5.19)", LinuxErrno.of(e), e);
        }
        for (int id = 0; id < count; id++) add(id);
        publish();
    }

    /** io_uring_buf_ring_add: writes the entry at the tail; {@link #publish} makes it visible. */
    private void add(int id) {
        long at = (long) (tail & mask) * io_uring_buf.SIZEOF;
        entries.set(ValueLayout.JAVA_LONG, at + io_uring_buf.OFFSET_addr, buffer(id).address());
        entries.set(ValueLayout.JAVA_INT, at + io_uring_buf.OFFSET_len, size());
        entries.set(ValueLayout.JAVA_SHORT, at + io_uring_buf.OFFSET_bid, (short) id);
        tail++;
        inKernel++;
    }

    /** io_uring_buf_ring_advance: release, so the kernel sees each entry whole before it sees the tail move past it. */
    private void publish() {
        U16.setRelease(entries, io_uring_buf_ring.OFFSET_tail, (short) tail);
    }

    /** A CQE consumed a buffer of this ring. */
    void consumed() {
        inKernel--;
        if (inKernel < 0) throw new AssertionError("buffer ring " + groupId + ": the kernel consumed more buffers than it was given");
    }

    @Override
    public void recycle(int id) {
        if (isClosed()) return;
        add(id);
        publish();
        if (starvedHead != null) backend.rearmStarved(this);
    }

    @Override
    public int available() {
        return inKernel;
    }

    @Override
    public void close() {
        if (isClosed()) return;
        backend.bufferRingClosed(this);
        if (backend.orphanedMemoryLeft) {
            // The ring was closed without its owner thread: a receive may still be writing into
            // these buffers as the kernel tears the ring down, so their memory is never freed.
            abandon();
            return;
        }
        if (starvedHead != null) throw new AssertionError("buffer ring " + groupId + " closed while receives wait for it");
        MemorySegment reg = ringArena.allocate(io_uring_buf_reg.layout());
        io_uring_buf_reg.bgid(reg, (short) groupId);
        // After the ring fd is closed the kernel has already dropped the registration.
        if (!backend.isClosed()) syscall_h.io_uring_register(backend.errno(), ringFd, IORING_UNREGISTER_PBUF_RING, reg, 1);
        ringArena.close();
        super.close();
    }
}
