package dev.sluice.iouring;

import static dev.sluice.bindings.linux.sys_eventfd_h.EFD_CLOEXEC;

import dev.sluice.SluiceException;
import dev.sluice.bindings.linux.sys_eventfd_h;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.posix.ErrnoState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wakes a ring that waits in io_uring_enter from another thread without touching the ring: with
 * IORING_SETUP_SINGLE_ISSUER only the owner may submit. The owner keeps an IORING_OP_READ of 8
 * bytes pending on an eventfd; {@link #signal()} is a write(2) of 1 to it from any thread, which
 * completes that read and so ends the wait. The backend re-arms the read after each completion.
 *
 * <p>The eventfd is blocking on purpose: for an O_NONBLOCK file io_uring hands -EAGAIN back instead
 * of waiting for it to become readable. {@link #signal()} is cheap when repeated: until the owner
 * has seen the read complete, further signals skip the syscall.
 */
final class Wakeup {
    /** The 8-byte counter increment write(2) sends; read-only, shared by every waker thread. */
    private static final MemorySegment ONE = Arena.global().allocate(ValueLayout.JAVA_LONG);

    static {
        ONE.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    final int fd;
    /** Where the pending read puts the counter; owned by the kernel while {@link #armed}. */
    final MemorySegment buffer;
    /** True while the read is in the SQ or the kernel. Owner thread only. */
    boolean armed;

    private final AtomicBoolean signalled = new AtomicBoolean();
    /** Threads inside {@link #signal()}; {@link #close} waits for them so no write hits a reused fd number. */
    private final AtomicInteger wakers = new AtomicInteger();
    private volatile boolean closing;

    private Wakeup(int fd, MemorySegment buffer) {
        this.fd = fd;
        this.buffer = buffer;
    }

    static Wakeup open(Arena arena, MemorySegment errno) throws SluiceException {
        int fd = sys_eventfd_h.eventfd(errno, 0, EFD_CLOEXEC);
        if (fd < 0) throw ErrnoState.failure("eventfd for the io_uring wakeup", dev.sluice.bindings.linux.CapturedErrno.errno(errno));
        return new Wakeup(fd, arena.allocate(ValueLayout.JAVA_LONG));
    }

    /** Any thread. */
    void signal() {
        wakers.incrementAndGet();
        try {
            if (!closing && !signalled.getAndSet(true)) {
                // A blocking eventfd write only blocks at a counter of 2^64-2; the result is not needed.
                unistd_h.write(ErrnoState.current(), fd, ONE, 8);
            }
        } finally {
            wakers.decrementAndGet();
        }
    }

    /** Owner: the read completed; the next signal must write again. */
    void consumed() {
        armed = false;
        signalled.set(false);
    }

    /** Owner, after the read can no longer be pending. */
    void close(MemorySegment errno) {
        closing = true;
        // A waker that saw closing == false is counted in wakers (both are volatile), so once
        // wakers reads 0 no write can reach this fd number after close(2) frees it.
        while (wakers.get() != 0) Thread.onSpinWait();
        unistd_h.close(errno, fd);
    }
}
