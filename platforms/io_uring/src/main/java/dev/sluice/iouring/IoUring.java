package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.EINVAL;
import static dev.sluice.bindings.linux.io_uring_h.IORING_FEAT_SINGLE_MMAP;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OFF_SQES;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OFF_SQ_RING;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_CLAMP;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_COOP_TASKRUN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_CQSIZE;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_DEFER_TASKRUN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_SINGLE_ISSUER;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_SUBMIT_ALL;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_TASKRUN_FLAG;
import static dev.sluice.bindings.linux.sys_mman_h.MAP_FAILED;
import static dev.sluice.bindings.linux.sys_mman_h.MAP_POPULATE;
import static dev.sluice.bindings.linux.sys_mman_h.MAP_SHARED;
import static dev.sluice.bindings.linux.sys_mman_h.PROT_READ;
import static dev.sluice.bindings.linux.sys_mman_h.PROT_WRITE;

import dev.sluice.SluiceException;
import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.io_uring_cqe;
import dev.sluice.bindings.linux.io_uring_params;
import dev.sluice.bindings.linux.io_cqring_offsets;
import dev.sluice.bindings.linux.io_sqring_offsets;
import dev.sluice.bindings.linux.sys_mman_h;
import dev.sluice.bindings.linux.syscall_h;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.posix.ErrnoState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One io_uring instance: the fd from io_uring_setup(2), the two mappings (rings, SQEs) and
 * io_uring_enter(2). The Java counterpart of liburing 2.3's {@code io_uring_queue_init_params}
 * ({@code src/setup.c}) and {@code __sys_io_uring_enter2}, without liburing.
 *
 * <p>Setup tries the best flag set first and steps down while the kernel answers EINVAL (an
 * unknown or refused flag); {@link #setupFlags} says which set was taken.
 */
final class IoUring {
    /** Always asked for: our CQ size (see {@link IoUringBackend}), clamped by the kernel to its maximum instead of failing. */
    static final int BASE = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
    /**
     * Flag sets, best first. SUBMIT_ALL (5.18): one bad SQE does not stop the batch behind it.
     * SINGLE_ISSUER|DEFER_TASKRUN (6.1): completions are posted only when the owner thread enters
     * the kernel to reap, so no task work interrupts the loop and no other thread touches the ring.
     * COOP_TASKRUN (5.19): the fallback; task work waits for our next syscall instead of an IPI.
     * TASKRUN_FLAG makes the kernel raise IORING_SQ_TASKRUN when such work waits, so a
     * non-blocking poll enters the kernel only when there is something to post.
     */
    private static final int[] OWNER_ONLY_SETS = {
        BASE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
        BASE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
        BASE | IORING_SETUP_SUBMIT_ALL,
        BASE,
    };
    /** Without SINGLE_ISSUER: for owners that are virtual threads, which may move between carrier threads (kernel tasks). */
    private static final int[] SHARED_SETS = {
        BASE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
        BASE | IORING_SETUP_SUBMIT_ALL,
        BASE,
    };

    /** System property: false skips SINGLE_ISSUER|DEFER_TASKRUN (the ring then uses COOP_TASKRUN). */
    static final String DEFER_TASKRUN_PROPERTY = "sluice.iouring.deferTaskrun";

    final int fd;
    final int setupFlags;
    final int features;
    final SubmissionQueue sq;
    final CompletionQueue cq;
    private final MemorySegment rings;
    private final MemorySegment sqes;
    private final MemorySegment errno;
    /** Test-only fault injection, or null. */
    private final Faults faults;

    private IoUring(int fd, int setupFlags, int features, MemorySegment rings, MemorySegment sqes, MemorySegment params, MemorySegment errno,
            Faults faults) {
        this.fd = fd;
        this.faults = faults;
        this.setupFlags = setupFlags;
        this.features = features;
        this.rings = rings;
        this.sqes = sqes;
        this.errno = errno;
        this.sq = new SubmissionQueue(rings, io_uring_params.sq_off(params), sqes);
        this.cq = new CompletionQueue(rings, io_uring_params.cq_off(params));
    }

    /**
     * io_uring_setup with the best flags the kernel takes, then mmap of both regions.
     *
     * @param sqEntries     submission queue size (power of two)
     * @param cqEntries     completion queue size asked for (IORING_SETUP_CQSIZE; clamped by the kernel)
     * @param singleIssuer  false when the owner may change kernel task (virtual threads)
     * @param faults        test-only fault injection, or null
     */
    static IoUring setup(int sqEntries, int cqEntries, boolean singleIssuer, Arena arena, MemorySegment errno, Faults faults) throws SluiceException {
        MemorySegment params = io_uring_params.allocate(arena);
        int[] sets = singleIssuer ? OWNER_ONLY_SETS : SHARED_SETS;
        int fd = -1;
        int flags = 0;
        int lastErrno = 0;
        // -Dsluice.iouring.deferTaskrun=false: take the COOP_TASKRUN set instead, for measuring what DEFER_TASKRUN pays.
        boolean deferTaskrun = Boolean.parseBoolean(System.getProperty(DEFER_TASKRUN_PROPERTY, "true"));
        for (int set : sets) {
            if (!deferTaskrun && (set & IORING_SETUP_DEFER_TASKRUN) != 0) continue;
            params.fill((byte) 0);
            io_uring_params.flags(params, set);
            io_uring_params.cq_entries(params, cqEntries);
            if (faults != null && (set & faults.refuseSetupFlags) != 0) {
                // As an older kernel answers a flag it does not know.
                lastErrno = EINVAL;
                continue;
            }
            fd = syscall_h.io_uring_setup(errno, sqEntries, params);
            if (fd >= 0) {
                flags = set;
                break;
            }
            lastErrno = CapturedErrno.errno(errno);
            // EINVAL: a flag this kernel does not know (or refuses in this combination); try fewer.
            if (lastErrno != EINVAL) break;
        }
        if (fd < 0) {
            throw new SluiceException("io_uring_setup(" + sqEntries + " entries, cq " + cqEntries + "): "
                    + IoUringProbe.explainSetupError(lastErrno), ErrnoState.portable(lastErrno), lastErrno);
        }
        int features = io_uring_params.features(params);
        MemorySegment rings = MemorySegment.NULL;
        MemorySegment sqes = MemorySegment.NULL;
        try {
            if ((features & IORING_FEAT_SINGLE_MMAP) == 0) {
                throw new SluiceException("io_uring lacks IORING_FEAT_SINGLE_MMAP: Linux 5.4 or newer is needed", dev.sluice.Errno.ENOSYS, 0);
            }
            int sqCount = io_uring_params.sq_entries(params);
            int cqCount = io_uring_params.cq_entries(params);
            MemorySegment sqOff = io_uring_params.sq_off(params);
            MemorySegment cqOff = io_uring_params.cq_off(params);
            // With SINGLE_MMAP one mapping holds both rings; it must cover the larger (liburing io_uring_mmap).
            long sqRingBytes = Integer.toUnsignedLong(io_sqring_offsets.array(sqOff)) + 4L * sqCount;
            long cqRingBytes = Integer.toUnsignedLong(io_cqring_offsets.cqes(cqOff)) + io_uring_cqe.SIZEOF * cqCount;
            long ringBytes = Math.max(sqRingBytes, cqRingBytes);
            rings = map(errno, fd, ringBytes, IORING_OFF_SQ_RING, "rings");
            sqes = map(errno, fd, SqeEncoder.SQE_BYTES * sqCount, IORING_OFF_SQES, "SQEs");
            return new IoUring(fd, flags, features, rings, sqes, params, errno, faults);
        } catch (SluiceException | RuntimeException | Error e) {
            if (sqes.address() != 0) sys_mman_h.munmap(errno, sqes, sqes.byteSize());
            if (rings.address() != 0) sys_mman_h.munmap(errno, rings, rings.byteSize());
            unistd_h.close(errno, fd);
            throw e;
        }
    }

    private static MemorySegment map(MemorySegment errno, int fd, long bytes, long offset, String what) throws SluiceException {
        MemorySegment m = sys_mman_h.mmap(errno, MemorySegment.NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
        if (m.address() == MAP_FAILED) {
            int e = CapturedErrno.errno(errno);
            throw ErrnoState.failure("mmap of the io_uring " + what + " (" + bytes + " bytes)", e);
        }
        return m.reinterpret(bytes);
    }

    boolean has(int setupFlag) {
        return (setupFlags & setupFlag) != 0;
    }

    /**
     * io_uring_enter(2) (liburing __sys_io_uring_enter2).
     *
     * @return the number of SQEs consumed, or -errno
     */
    int enter(int toSubmit, int minComplete, int flags, MemorySegment arg, long argBytes) {
        if (faults != null && faults.failEnter()) return -faults.enterErrno;
        int r = syscall_h.io_uring_enter(errno, fd, toSubmit, minComplete, flags, arg, argBytes);
        return r >= 0 ? r : -CapturedErrno.errno(errno);
    }

    /** Unmaps both regions and closes the ring fd (io_uring_queue_exit). Only after every request has completed. */
    void close() {
        sys_mman_h.munmap(errno, sqes, sqes.byteSize());
        sys_mman_h.munmap(errno, rings, rings.byteSize());
        unistd_h.close(errno, fd);
    }
}
