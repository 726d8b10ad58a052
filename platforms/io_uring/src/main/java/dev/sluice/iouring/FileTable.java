package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.EINTR;
import static dev.sluice.bindings.linux.errno_h.EINVAL;
import static dev.sluice.bindings.linux.errno_h.EMFILE;
import static dev.sluice.bindings.linux.io_uring_h.IORING_REGISTER_FILES;
import static dev.sluice.bindings.linux.io_uring_h.IORING_REGISTER_FILES2;
import static dev.sluice.bindings.linux.io_uring_h.IORING_REGISTER_FILES_UPDATE;
import static dev.sluice.bindings.linux.io_uring_h.IORING_RSRC_REGISTER_SPARSE;
import static dev.sluice.bindings.linux.io_uring_h.IORING_UNREGISTER_FILES;

import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.io_uring_rsrc_register;
import dev.sluice.bindings.linux.io_uring_rsrc_update;
import dev.sluice.bindings.linux.syscall_h;
import dev.sluice.posix.LinuxErrno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The ring's registered file table (io_uring_register(2) IORING_REGISTER_FILES2 with
 * IORING_RSRC_REGISTER_SPARSE, Linux 5.19; liburing 2.3 {@code io_uring_register_files_sparse}
 * and {@code io_uring_register_files_update}). A request that names a socket by its index here
 * (IOSQE_FIXED_FILE) skips the fget/fput of the fd table, an atomic reference count pair per
 * request.
 *
 * <p>A socket is entered the first time an operation on it is submitted (whether it was opened,
 * accepted or adopted: the backend sees all three only there), so every registration happens on
 * the owner thread, as IORING_SETUP_SINGLE_ISSUER requires of io_uring_register too. The fd stays
 * a real fd for setsockopt, getsockname and the rest.
 *
 * <p><b>An entry holds its own reference to the socket's file</b>: close(2) of the fd alone would
 * leave the socket open (no FIN) until the entry goes. {@link #remove} must run before the fd is
 * closed, which is why every close of a socket that reached the backend goes through
 * {@code IoUringBackend.closeSocket}; and because the fd number is the key, a socket closed any
 * other way while registered would leave an entry that a new socket with the same number would
 * wrongly use. Requests still in flight on a removed entry keep the file alive until they end
 * (the kernel holds the entry's resource node for them), so removal never cuts one off.
 *
 * <p>When the table is full, or the kernel refuses one update, that socket simply uses its fd.
 * Owner thread only; nothing allocates once the fd numbers in use stop growing.
 */
final class FileTable {
    /**
     * Entries asked for: one per socket of the ring that has had an operation. The kernel
     * refuses a table larger than RLIMIT_NOFILE (EMFILE); then we halve and ask again, down to
     * {@link #SIZE_MIN}. About 8 bytes of kernel memory per entry.
     */
    static final int SIZE_DEFAULT = 4096;
    private static final int SIZE_MIN = 64;
    /** The kernel's limit (IORING_MAX_FIXED_FILES, 1 << 20 since 5.10). */
    static final int SIZE_MAX = 1 << 20;

    /** {@link #slotOfFd} values besides index + 1: not looked at yet, or stays a plain fd until closed. */
    private static final int UNKNOWN = 0;
    private static final int PLAIN = -1;

    private final IoUring ring;
    private final MemorySegment errno;
    final int size;
    /** What the kernel took, for logs: "sparse" or "array of -1". */
    final String how;
    /** Indexed by fd: index + 1, {@link #UNKNOWN} or {@link #PLAIN}. Grows with the largest fd seen. */
    private int[] slotOfFd = new int[1024];
    private final int[] freeIndexes;
    private int freeTop;
    /** struct io_uring_rsrc_update (io_uring_files_update) and the one fd it points at. */
    private final MemorySegment update;
    private final MemorySegment updateFd;
    /** Updates the kernel refused (fds that stayed plain for that reason); for tests and logs. */
    int refused;
    /** Sockets that found the table full and used their fd. */
    int overflowed;

    private FileTable(IoUring ring, MemorySegment errno, Arena arena, int size, String how) {
        this.ring = ring;
        this.errno = errno;
        this.size = size;
        this.how = how;
        this.freeIndexes = new int[size];
        for (int i = 0; i < size; i++) freeIndexes[i] = size - 1 - i;
        this.freeTop = size;
        this.update = io_uring_rsrc_update.allocate(arena);
        this.updateFd = arena.allocate(ValueLayout.JAVA_INT);
        io_uring_rsrc_update.data(update, updateFd.address());
    }

    /**
     * Registers an empty table of {@code size} entries (fewer if RLIMIT_NOFILE is lower), or
     * returns null with the reason in {@code why[0]} when the kernel refuses any table.
     */
    static FileTable register(IoUring ring, MemorySegment errno, Arena arena, int size, String[] why) {
        int e = 0;
        for (int n = size; n >= Math.min(size, SIZE_MIN); n /= 2) {
            // IORING_REGISTER_FILES2 + SPARSE (5.19): no array needed.
            MemorySegment reg = io_uring_rsrc_register.allocate(arena);
            io_uring_rsrc_register.nr(reg, n);
            io_uring_rsrc_register.flags(reg, IORING_RSRC_REGISTER_SPARSE);
            int r = register(ring, errno, IORING_REGISTER_FILES2, reg, (int) io_uring_rsrc_register.SIZEOF);
            if (r >= 0) return new FileTable(ring, errno, arena, n, "sparse");
            e = -r;
            if (e == EINVAL) {
                // Before 5.19: an array of -1 entries registers an empty table (5.5 and later
                // accept -1 as "no file here" in IORING_REGISTER_FILES).
                MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, n);
                fds.fill((byte) 0xff);
                r = register(ring, errno, IORING_REGISTER_FILES, fds, n);
                if (r >= 0) return new FileTable(ring, errno, arena, n, "array of -1");
                e = -r;
            }
            // EMFILE: more entries than RLIMIT_NOFILE allows; try a smaller table.
            if (e != EMFILE) break;
        }
        why[0] = "registering a file table of " + size + " entries failed with " + LinuxErrno.of(e) + " [errno " + e + "]";
        return null;
    }

    private static int register(IoUring ring, MemorySegment errno, int opcode, MemorySegment arg, int nrArgs) {
        for (;;) {
            int r = syscall_h.io_uring_register(errno, ring.fd, opcode, arg, nrArgs);
            if (r >= 0) return r;
            int e = CapturedErrno.errno(errno);
            // Registration waits for the table to go quiet on older kernels and can be interrupted.
            if (e != EINTR) return -e;
        }
    }

    /**
     * The table index of {@code fd}, entering it on first use; -1 when it stays a plain fd (table
     * full, or the kernel refused it).
     */
    int indexOf(int fd) {
        int[] map = slotOfFd;
        if (fd < map.length) {
            int v = map[fd];
            if (v > 0) return v - 1;
            if (v == PLAIN) return -1;
        } else {
            slotOfFd = map = Arrays.copyOf(map, Math.max(fd + 1, map.length * 2));
        }
        if (freeTop == 0) {
            overflowed++;
            map[fd] = PLAIN;
            return -1;
        }
        int index = freeIndexes[--freeTop];
        if (!set(index, fd)) {
            freeIndexes[freeTop++] = index;
            refused++;
            map[fd] = PLAIN;
            return -1;
        }
        map[fd] = index + 1;
        return index;
    }

    /** Whether {@code fd} holds an entry now. */
    boolean registered(int fd) {
        return fd < slotOfFd.length && slotOfFd[fd] > 0;
    }

    /** Entries in use. */
    int used() {
        return size - freeTop;
    }

    /**
     * Drops {@code fd}'s entry, if it has one, so that close(2) of the fd releases the socket.
     * Must run before that close, while the number still names this socket.
     */
    void remove(int fd) {
        if (fd >= slotOfFd.length) return;
        int v = slotOfFd[fd];
        slotOfFd[fd] = UNKNOWN;
        if (v <= 0) return;
        int index = v - 1;
        if (!set(index, -1)) {
            // Only a broken invariant (a bad index) makes the kernel refuse clearing an entry; the
            // socket would then never be released.
            throw new IllegalStateException("io_uring refused to clear registered file " + index + " (fd " + fd + "): errno "
                    + CapturedErrno.errno(errno));
        }
        freeIndexes[freeTop++] = index;
    }

    /** IORING_REGISTER_FILES_UPDATE (5.5) of one entry: {@code fd}, or -1 to empty it. */
    private boolean set(int index, int fd) {
        io_uring_rsrc_update.offset(update, index);
        updateFd.set(ValueLayout.JAVA_INT, 0, fd);
        return register(ring, errno, IORING_REGISTER_FILES_UPDATE, update, 1) == 1;
    }

    /**
     * Unregisters the whole table (IORING_UNREGISTER_FILES), releasing every socket's reference
     * now rather than when the ring's teardown runs. Only once no request is in flight.
     */
    void unregister() {
        register(ring, errno, IORING_UNREGISTER_FILES, MemorySegment.NULL, 0);
        Arrays.fill(slotOfFd, UNKNOWN);
        freeTop = 0;
    }
}
