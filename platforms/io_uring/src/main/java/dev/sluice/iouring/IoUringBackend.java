package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.EAGAIN;
import static dev.sluice.bindings.linux.errno_h.EALREADY;
import static dev.sluice.bindings.linux.errno_h.EBUSY;
import static dev.sluice.bindings.linux.errno_h.ECANCELED;
import static dev.sluice.bindings.linux.errno_h.EEXIST;
import static dev.sluice.bindings.linux.errno_h.EINTR;
import static dev.sluice.bindings.linux.errno_h.EINVAL;
import static dev.sluice.bindings.linux.errno_h.ENOBUFS;
import static dev.sluice.bindings.linux.io_uring_h.IORING_CQE_BUFFER_SHIFT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_CQE_F_BUFFER;
import static dev.sluice.bindings.linux.io_uring_h.IORING_CQE_F_MORE;
import static dev.sluice.bindings.linux.errno_h.ENOENT;
import static dev.sluice.bindings.linux.errno_h.EOPNOTSUPP;
import static dev.sluice.bindings.linux.errno_h.ETIME;
import static dev.sluice.bindings.linux.errno_h.ETIMEDOUT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_ASYNC_CANCEL_ALL;
import static dev.sluice.bindings.linux.io_uring_h.IORING_ASYNC_CANCEL_ANY;
import static dev.sluice.bindings.linux.io_uring_h.IORING_ENTER_EXT_ARG;
import static dev.sluice.bindings.linux.io_uring_h.IORING_ENTER_GETEVENTS;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_ASYNC_CANCEL;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_POLL_ADD;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_SHUTDOWN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_COOP_TASKRUN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_DEFER_TASKRUN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_SINGLE_ISSUER;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_SUBMIT_ALL;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_TASKRUN_FLAG;
import static dev.sluice.bindings.linux.socket_h.MSG_NOSIGNAL;
import static dev.sluice.bindings.linux.socket_h.SOCK_CLOEXEC;

import dev.sluice.Capabilities;
import dev.sluice.Family;
import dev.sluice.Feature;
import dev.sluice.Op;
import dev.sluice.Protocol;
import dev.sluice.RingConfig;
import dev.sluice.Shutdown;
import dev.sluice.SluiceException;
import dev.sluice.SocketType;
import dev.sluice.Support;
import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.__kernel_timespec;
import dev.sluice.bindings.linux.fcntl_h;
import dev.sluice.bindings.linux.io_uring_getevents_arg;
import dev.sluice.bindings.linux.socket_h;
import dev.sluice.posix.ErrnoState;
import dev.sluice.posix.LinuxErrno;
import dev.sluice.posix.LinuxNumbers;
import dev.sluice.posix.Messages;
import dev.sluice.posix.PosixSockets;
import dev.sluice.posix.Sockaddrs;
import dev.sluice.posix.SplicePump;
import dev.sluice.spi.Backend;
import dev.sluice.spi.BufferGroup;
import dev.sluice.spi.Operation;
import dev.sluice.spi.SocketSystem;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The io_uring backend (TigerBeetle's {@code src/io/linux.zig} in Java): every operation becomes
 * one SQE (two with a deadline: the op with IOSQE_IO_LINK, then an IORING_OP_LINK_TIMEOUT), its
 * CQE finds the operation again through {@link UserData}, and results are decoded in one place,
 * {@link #complete(Slot, int)}.
 *
 * <p>Owner thread only, except {@link #wakeup()}. Operations complete only inside
 * {@link #poll(long)} and {@link #close()}: {@link #submit(Operation)} writes SQEs, or queues the
 * operation in a backlog when the SQ is full, or for the few results known at once (synchronous
 * shutdown fallback, SPLICE) puts the slot on a ready list that the next poll delivers.
 *
 * <p>Slots: {@code inflightMax} of them, one per operation the ring may have in flight, each with
 * a generation, 32 bytes of timespecs (TIMEOUT, LINK_TIMEOUT) and a lazily allocated scratch area
 * (CONNECT's sockaddr, the msghdr of msg ops). A slot is free again only after every CQE of its
 * operation has been reaped. Internal requests (the wakeup read, cancels issued by closeSocket and
 * close) need no slot.
 *
 * <p>SPLICE never uses IORING_OP_SPLICE: {@code io_uring/splice.c} always punts it to an io-wq
 * worker (REQ_F_FORCE_ASYNC), a thread round trip per splice. Instead the socket is made
 * O_NONBLOCK while it splices ({@link #spliceDone} restores it), the ring thread calls splice(2)
 * itself with SPLICE_F_NONBLOCK at submission, and only when that says EAGAIN does it wait with an
 * IORING_OP_POLL_ADD (POLLIN on the socket for socket to pipe, POLLOUT for pipe to socket) and
 * splice again when the poll fires: readiness I/O, as the epoll backend does it, with io_uring as
 * the poller. A result known at submission is delivered by the next poll, like every other.
 */
final class IoUringBackend implements Backend {
    /** CQEs beyond two per operation: the wakeup read, closeSocket cancels and their results. */
    private static final int INTERNAL_CQES = 64;
    /** The kernel's CQ maximum (IORING_MAX_CQ_ENTRIES); IORING_SETUP_CLAMP caps larger requests here. */
    private static final int CQ_ENTRIES_MAX = 65536;
    private static final long TIMESPEC_BYTES = __kernel_timespec.SIZEOF;
    /** Per slot: the op's own timespec (TIMEOUT), then the link timeout's. */
    private static final long TIMESPECS_PER_SLOT = 2 * TIMESPEC_BYTES;
    private static final Shutdown[] SHUTDOWNS = Shutdown.values();
    /** How long close() waits for cancelled requests before it asks the kernel again. */
    private static final long CLOSE_RECANCEL_NANOS = 1_000_000_000L;
    /** POLLIN and POLLOUT of {@code <poll.h>}, for the readiness polls of splices. */
    private static final int POLLIN = 0x001;
    private static final int POLLOUT = 0x004;
    /**
     * The kernel-internal ERESTART* codes (include/linux/errno.h: ERESTARTSYS 512 to
     * ERESTART_RESTARTBLOCK 516): io-wq can leak them in a CQE when it interrupts a blocked
     * request (a cancelled splice does on 6.x). They mean "interrupted", like EINTR.
     */
    private static final int ERESTARTSYS = 512;
    private static final int ERESTART_RESTARTBLOCK = 516;
    /**
     * Linux EBADR (asm-generic/errno.h), not in our errno table: io_uring_enter reports with it
     * that CQEs were lost because the kernel could not allocate overflow entries (5.19+).
     */
    private static final int EBADR = 53;
    /**
     * System property: {@code false} keeps sockets out of the registered file table, so every
     * request names its socket by fd. On by default: at 50 connections × depth 16 it measured
     * about 5% more echo throughput (docs/bench/registered-files.md). See {@link FileTable}.
     */
    static final String REGISTERED_FILES_PROPERTY = "sluice.iouring.registeredFiles";
    /** System property: entries of the registered file table (default {@link FileTable#SIZE_DEFAULT}); sockets beyond use fds. */
    static final String REGISTERED_FILES_MAX_PROPERTY = "sluice.iouring.registeredFilesMax";

    private final IoUring ring;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final MemorySegment sqes;
    private final Arena arena;
    private final MemorySegment errno;
    private final Slot[] slots;
    private final int[] freeSlots;
    private int freeTop;
    /** Slots not FREE; pairs with the ring's in-flight count. */
    private int active;
    private final MemorySegment timespecs;
    private final MemorySegment waitArg;
    private final MemorySegment waitTimespec;
    private final Wakeup wakeup;
    /** The thread that opened the backend; under SINGLE_ISSUER the only one the kernel lets in. */
    private final Thread owner = Thread.currentThread();
    private Capabilities capabilities;
    /** Test-only fault injection (see {@link Faults}), or null. */
    private Faults faults;
    /** The registered file table, or null when off or refused (then {@link #filesOff} says why). */
    private FileTable files;
    private String filesOff;
    private final boolean shutdownOpcode;
    /** IORING_OP_POLL_ADD is there: SPLICE is EMULATED (poll, then splice(2) on the ring thread). */
    private final boolean spliceOpcodes;
    /**
     * Socket fds this backend made O_NONBLOCK for splicing (restored by spliceDone), and fds found
     * O_NONBLOCK already (left alone). Cleared whenever an fd number is closed or handed out anew.
     */
    private final BitSet madeNonBlocking = new BitSet();
    private final BitSet foundNonBlocking = new BitSet();
    /** SPLICE_PUMP: socket → pipe → socket rounds on this thread, one completion per burst. */
    private final SplicePump pump = new SplicePump(this::spliceRaw, EAGAIN, LinuxErrno::of);
    /** IORING_ASYNC_CANCEL_FD/ALL/ANY (5.19) understood; else cancels go one user_data at a time. */
    private boolean cancelByFd;
    /** The kernel raises IORING_SQ_TASKRUN when completions wait as task work; otherwise we must always enter to post them. */
    private final boolean taskrunFlag;
    private final boolean taskrunDeferred;
    /** IORING_ACCEPT_MULTISHOT (5.19), IORING_RECV_MULTISHOT and provided-buffer rings (6.0): checked by kernel release. */
    private final boolean multishot;
    private final java.util.ArrayList<BufferRing> bufferRings = new java.util.ArrayList<>();
    private int nextGroupId;
    /** Multishot requests the kernel ended early (CQ full, ENOBUFS) that we armed again; for tests. */
    private long multishotRearms;

    private Slot backlogHead;
    private Slot backlogTail;
    private Slot readyHead;
    private Slot readyTail;
    private int completed;
    private boolean reaping;
    private boolean closing;
    private boolean closed;

    private IoUringBackend(IoUring ring, Arena arena, MemorySegment errno, int slotCount, Wakeup wakeup, IoUringProbe.Result probe) {
        this.ring = ring;
        this.sq = ring.sq;
        this.cq = ring.cq;
        this.sqes = sq.sqes();
        this.arena = arena;
        this.errno = errno;
        this.wakeup = wakeup;
        this.slots = new Slot[slotCount];
        this.freeSlots = new int[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new Slot(i);
            freeSlots[i] = slotCount - 1 - i;
        }
        this.freeTop = slotCount;
        this.timespecs = arena.allocate(TIMESPECS_PER_SLOT * slotCount, 8);
        this.waitArg = arena.allocate(io_uring_getevents_arg.layout());
        this.waitTimespec = arena.allocate(__kernel_timespec.layout());
        this.shutdownOpcode = probe.supports(IORING_OP_SHUTDOWN);
        this.spliceOpcodes = probe.supports(IORING_OP_POLL_ADD);
        this.taskrunFlag = ring.has(IORING_SETUP_TASKRUN_FLAG);
        this.taskrunDeferred = ring.has(IORING_SETUP_DEFER_TASKRUN) || ring.has(IORING_SETUP_COOP_TASKRUN);
        this.multishot = kernelAtLeast(probe.kernel(), 6, 0);
        this.capabilities = capabilitiesOf(ring, shutdownOpcode, spliceOpcodes, multishot);
    }

    /** Opens a backend owned by the calling thread. */
    static IoUringBackend open(RingConfig config) throws SluiceException {
        return open(config, 0);
    }

    /**
     * @param cqEntriesOverride a CQ size to ask for instead of the computed one (tests force CQ
     *                          overflow with a tiny one); 0 for the default
     */
    static IoUringBackend open(RingConfig config, int cqEntriesOverride) throws SluiceException {
        IoUringProbe.Result probe = IoUringProbe.cached();
        if (!probe.available()) throw new IllegalStateException("io_uring is unavailable: " + probe.reason());
        int slotCount = config.inflightMax();
        if (slotCount > UserData.SLOTS_MAX) throw new IllegalArgumentException("inflightMax " + slotCount + " exceeds " + UserData.SLOTS_MAX);
        // Every operation can post two CQEs (itself and its link timeout); sized so, the CQ cannot
        // overflow from our own operations, and a burst that still does lands in the kernel's
        // overflow list (IORING_FEAT_NODROP) and is drained by reap().
        int cqEntries = cqEntriesOverride > 0 ? cqEntriesOverride
                : Math.min(CQ_ENTRIES_MAX, Integer.highestOneBit(Math.max(1, 2 * slotCount + INTERNAL_CQES - 1)) << 1);
        // SINGLE_ISSUER binds the ring to the kernel task that created it; a virtual thread can
        // move between carrier threads, so it gets a ring without that flag.
        boolean singleIssuer = !Thread.currentThread().isVirtual();
        // Shared, not confined: if the owner thread ends without closing, Ring.close() closes the
        // backend from another thread (closeOrphaned), which must reach this memory and free it.
        Arena arena = Arena.ofShared();
        IoUring ring = null;
        Wakeup wakeup = null;
        try {
            MemorySegment errno = CapturedErrno.allocate(arena);
            Faults faults = Faults.take();
            ring = IoUring.setup(config.entries(), cqEntries, singleIssuer, arena, errno, faults);
            wakeup = Wakeup.open(arena, errno);
            IoUringBackend backend = new IoUringBackend(ring, arena, errno, slotCount, wakeup, probe);
            backend.faults = faults;
            backend.cancelByFd = backend.checkCancelFlags();
            backend.openFileTable();
            backend.armWakeup();
            return backend;
        } catch (SluiceException | RuntimeException | Error e) {
            if (wakeup != null) wakeup.close(CapturedErrno.allocate(arena));
            if (ring != null) ring.close();
            arena.close();
            throw e;
        }
    }

    /** Whether a release string such as {@code 6.1.0-18-amd64} is at least {@code major.minor}. */
    static boolean kernelAtLeast(String release, int major, int minor) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) return false;
        int ma = Integer.parseInt(m.group(1));
        int mi = Integer.parseInt(m.group(2));
        return ma > major || (ma == major && mi >= minor);
    }

    /** Registers the file table unless switched off; without one, requests name sockets by fd. */
    private void openFileTable() {
        if (!Boolean.parseBoolean(System.getProperty(REGISTERED_FILES_PROPERTY, "true"))) {
            filesOff = "off (-D" + REGISTERED_FILES_PROPERTY + "=false)";
            return;
        }
        String[] why = new String[1];
        int size = Integer.getInteger(REGISTERED_FILES_MAX_PROPERTY, FileTable.SIZE_DEFAULT);
        if (size < 1 || size > FileTable.SIZE_MAX) {
            throw new IllegalArgumentException("-D" + REGISTERED_FILES_MAX_PROPERTY + " must be from 1 to " + FileTable.SIZE_MAX + ", got " + size);
        }
        files = FileTable.register(ring, errno, arena, size, why);
        if (files == null) {
            filesOff = why[0];
            return;
        }
        Set<Feature> features = capabilities.features();
        features.add(Feature.REGISTERED_FILES);
        Map<Op, Support> ops = new EnumMap<>(Op.class);
        for (Op op : Op.values()) ops.put(op, capabilities.support(op));
        capabilities = new Capabilities(ops, features);
    }

    private static Capabilities capabilitiesOf(IoUring ring, boolean shutdownOpcode, boolean spliceOpcodes, boolean multishot) {
        Map<Op, Support> ops = new EnumMap<>(Op.class);
        for (Op op : Op.values()) ops.put(op, Support.NATIVE);
        // shutdown(2) at submission: IORING_OP_SHUTDOWN always runs in io-wq.
        ops.put(Op.SHUTDOWN, Support.EMULATED);
        // close = IORING_OP_ASYNC_CANCEL of the fd's requests, then close(2).
        ops.put(Op.CLOSE, Support.EMULATED);
        // splice = IORING_OP_POLL_ADD for readiness, then splice(2) on the ring thread.
        ops.put(Op.SPLICE, spliceOpcodes ? Support.EMULATED : Support.UNSUPPORTED);
        ops.put(Op.ACCEPT_MULTISHOT, multishot ? Support.NATIVE : Support.UNSUPPORTED);
        ops.put(Op.RECV_MULTISHOT, multishot ? Support.NATIVE : Support.UNSUPPORTED);
        Set<Feature> features = EnumSet.of(Feature.FD_PASSING);
        if (multishot) features.addAll(EnumSet.of(Feature.MULTISHOT_ACCEPT, Feature.MULTISHOT_RECV, Feature.PROVIDED_BUFFERS));
        if (spliceOpcodes) features.add(Feature.SPLICE);
        if (ring.has(IORING_SETUP_DEFER_TASKRUN)) features.add(Feature.DEFER_TASKRUN);
        return new Capabilities(ops, features);
    }

    // Information.

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The IORING_SETUP_* flags the kernel took. */
    int setupFlags() {
        return ring.setupFlags;
    }

    /** The completion queue's size. */
    int cqEntries() {
        return cq.entries;
    }

    long multishotRearms() {
        return multishotRearms;
    }

    /** Operations held by the backend right now (for tests and leak checks). */
    int active() {
        return active;
    }

    /** The test-only fault injection this backend was opened with, or null. */
    Faults faults() {
        return faults;
    }

    /** The registered file table, or null (for tests). */
    FileTable files() {
        return files;
    }

    /** Tests only: queues an IORING_OP_NOP carrying {@code userData} as if it were ours, to check the CQE checks. */
    void submitRawNop(long userData) {
        SqeEncoder.nop(sqes, sqeForInternal(), userData);
    }

    /** The kernel holds CQEs on its overflow list right now (IORING_SQ_CQ_OVERFLOW). */
    boolean cqOverflowed() {
        return sq.cqOverflow();
    }

    /** A line for logs: setup flags and CQ size. */
    String describeSetup() {
        StringBuilder sb = new StringBuilder("io_uring sq ").append(sq.entries).append(" cq ").append(cq.entries);
        if (ring.has(IORING_SETUP_SINGLE_ISSUER)) sb.append(" SINGLE_ISSUER");
        if (ring.has(IORING_SETUP_DEFER_TASKRUN)) sb.append(" DEFER_TASKRUN");
        if (ring.has(IORING_SETUP_COOP_TASKRUN)) sb.append(" COOP_TASKRUN");
        if (ring.has(IORING_SETUP_TASKRUN_FLAG)) sb.append(" TASKRUN_FLAG");
        if (ring.has(IORING_SETUP_SUBMIT_ALL)) sb.append(" SUBMIT_ALL");
        sb.append(cancelByFd ? " cancel-by-fd" : " cancel-per-request");
        sb.append(files != null ? " registered-files " + files.size + " (" + files.how + ")" : " registered-files " + filesOff);
        return sb.toString();
    }

    @Override
    public SocketSystem sockets() {
        return PosixSockets.INSTANCE;
    }

    @Override
    public long openSocket(Family family, SocketType type, Protocol protocol) throws SluiceException {
        // Blocking sockets, as the SPI asks of completion backends: io_uring still never blocks
        // on them (each request is tried with MSG_DONTWAIT and parks on an internal poll), and
        // the fd behaves as callers expect when handed to code outside Sluice.
        long fd = PosixSockets.INSTANCE.open(family, type, protocol, false);
        forget(fd);
        return fd;
    }

    @Override
    public long[] openSocketPair(Family family, SocketType type) throws SluiceException {
        long[] fds = PosixSockets.INSTANCE.pair(family, type, false);
        forget(fds[0]);
        forget(fds[1]);
        return fds;
    }

    /** A new or closed fd number: whatever we knew about its O_NONBLOCK belonged to an older file. */
    private void forget(long fd) {
        madeNonBlocking.clear((int) fd);
        foundNonBlocking.clear((int) fd);
    }

    /** Makes a socket O_NONBLOCK for splicing, once (a bit per fd). 0 or -errno. */
    private int nonBlockingForSplice(int fd) {
        if (madeNonBlocking.get(fd) || foundNonBlocking.get(fd)) return 0;
        int flags = fcntl_h.fcntl(errno, fd, fcntl_h.F_GETFL);
        if (flags < 0) return -CapturedErrno.errno(errno);
        if ((flags & fcntl_h.O_NONBLOCK) != 0) {
            foundNonBlocking.set(fd);
            return 0;
        }
        if (fcntl_h.fcntl(errno, fd, fcntl_h.F_SETFL, flags | fcntl_h.O_NONBLOCK) < 0) return -CapturedErrno.errno(errno);
        madeNonBlocking.set(fd);
        return 0;
    }

    /** Puts back the blocking mode a socket had before it spliced. */
    @Override
    public void spliceDone(long handle) throws SluiceException {
        int fd = (int) handle;
        boolean made = madeNonBlocking.get(fd);
        forget(fd);
        if (!made) return;
        int flags = fcntl_h.fcntl(errno, fd, fcntl_h.F_GETFL);
        if (flags < 0 || fcntl_h.fcntl(errno, fd, fcntl_h.F_SETFL, flags & ~fcntl_h.O_NONBLOCK) < 0) {
            int e = CapturedErrno.errno(errno);
            throw new SluiceException("fcntl(F_SETFL) restoring blocking mode of fd " + fd, LinuxErrno.of(e), e);
        }
    }

    /**
     * A non-blocking pipe. Every splice runs on the ring thread with SPLICE_F_NONBLOCK, so the
     * pipe's own mode does not matter to us; non-blocking, a stray read of it can never hang.
     */
    @Override
    public long[] openPipe(int capacityBytes) throws SluiceException {
        if (!spliceOpcodes) return Backend.super.openPipe(capacityBytes);
        return PosixSockets.INSTANCE.pipe(capacityBytes);
    }

    /** A provided-buffer ring registered with this ring under the next free group id. */
    @Override
    public BufferGroup openBufferGroup(int count, int size) throws SluiceException {
        if (!multishot) return Backend.super.openBufferGroup(count, size);
        if (closing) throw new IllegalStateException("io_uring backend is closed");
        int id = -1;
        for (int i = 0; i <= 0xffff && id < 0; i++) {
            int candidate = (nextGroupId + i) & 0xffff;
            boolean used = false;
            for (BufferRing r : bufferRings) used |= r.groupId == candidate;
            if (!used) id = candidate;
        }
        if (id < 0) throw new IllegalStateException("all 65536 buffer group ids of this ring are in use");
        nextGroupId = id + 1;
        BufferRing r = new BufferRing(this, ring.fd, id, count, size, errno);
        bufferRings.add(r);
        return r;
    }

    void bufferRingClosed(BufferRing r) {
        bufferRings.remove(r);
    }

    MemorySegment errno() {
        return errno;
    }

    boolean isClosed() {
        return closed;
    }

    /** Buffers came back to {@code g}: receives that starved on it go back to the kernel. */
    void rearmStarved(BufferRing g) {
        if (closing) return;
        while (g.starvedHead != null) {
            Slot s = g.starvedHead;
            g.starvedHead = s.next;
            s.next = null;
            resubmit(s);
        }
    }

    private static void unpark(Slot s) {
        Slot prev = null;
        for (Slot x = s.group.starvedHead; x != null; prev = x, x = x.next) {
            if (x != s) continue;
            if (prev == null) s.group.starvedHead = x.next;
            else prev.next = x.next;
            x.next = null;
            return;
        }
        throw new AssertionError("slot " + s.index + " is STARVED but not parked on its buffer ring");
    }

    // Submission.

    @Override
    public void submit(Operation op) {
        if (closing) throw new IllegalStateException("io_uring backend is closed");
        Slot s = acquire(op);
        switch (op.op()) {
            case CLOSE -> throw new AssertionError("CLOSE never reaches a backend: the ring calls closeSocket");
            case SPLICE -> {
                if (!spliceOpcodes) {
                    ready(s, -EOPNOTSUPP);
                } else {
                    int direction = op.flags();
                    if (direction != Operation.SPLICE_SOCKET_TO_PIPE && direction != Operation.SPLICE_PIPE_TO_SOCKET
                            && direction != Operation.SPLICE_PUMP) {
                        throw new AssertionError("SPLICE with direction " + direction);
                    }
                    submitSplice(s);
                }
            }
            case SHUTDOWN -> {
                // shutdown(2) never blocks, so run it now and deliver the result from poll like any
                // other completion. IORING_OP_SHUTDOWN (5.11) would cost more: io_uring never issues
                // it inline but always in an io-wq worker, a thread wakeup per half-close.
                int r = socket_h.shutdown(errno, (int) op.handle(), LinuxNumbers.shutdown(SHUTDOWNS[op.flags()]));
                ready(s, r < 0 ? -CapturedErrno.errno(errno) : 0);
            }
            case CANCEL -> submitCancel(s);
            default -> queue(s);
        }
    }

    /**
     * SPLICE: the socket made O_NONBLOCK, splice(2) right away on this thread; its result is
     * delivered by the next poll. Only EAGAIN (the socket not ready) makes it wait with an
     * IORING_OP_POLL_ADD, after which {@link #finish} splices again. Not while the backlog holds
     * operations: they were submitted earlier and might be on this socket.
     */
    private void submitSplice(Slot s) {
        int fd = (int) s.op.handle();
        int r = nonBlockingForSplice(fd);
        if (r == 0 && s.op.flags() == Operation.SPLICE_PUMP) r = nonBlockingForSplice((int) s.op.spliceTo().handle());
        if (r < 0) {
            ready(s, r);
            return;
        }
        if (backlogHead == null) {
            r = spliceNow(s.op);
            if (r != -EAGAIN) {
                ready(s, r);
                return;
            }
        }
        // From here on the request in the kernel is the readiness poll; its CQE carries a poll mask.
        s.polling = true;
        queue(s);
    }

    private Slot acquire(Operation op) {
        if (freeTop == 0) {
            throw new AssertionError("no free io_uring slot: " + slots.length + " in use; the ring must keep at most inflightMax operations in flight");
        }
        Slot s = slots[freeSlots[--freeTop]];
        if (s.state != Slot.FREE) throw new AssertionError("slot " + s.index + " on the free list is " + s.state);
        s.generation++;
        s.op = op;
        s.kind = UserData.kind(op.op());
        s.startedNanos = op.deadlineNanos() > 0 ? System.nanoTime() : 0;
        op.backendSlot(s.index);
        s.multishot = op.isMultishot();
        if (op.op() == Op.RECV_MULTISHOT) {
            if (!(op.bufferGroup() instanceof BufferRing g) || !bufferRings.contains(g)) {
                throw new AssertionError("RECV_MULTISHOT with a buffer group this backend did not open: " + op.bufferGroup());
            }
            s.group = g;
        }
        active++;
        return s;
    }

    private void release(Slot s) {
        s.reset();
        freeSlots[freeTop++] = s.index;
        active--;
        if (active < 0 || freeTop > slots.length) throw new AssertionError("slot accounting broken: active " + active + ", free " + freeTop);
    }

    /** CANCEL: targets the backend still holds locally end here; targets in the kernel get IORING_OP_ASYNC_CANCEL. */
    private void submitCancel(Slot s) {
        Operation target = s.op.target();
        int ti = target.backendSlot();
        Slot t = ti >= 0 && ti < slots.length ? slots[ti] : null;
        if (t == null || t.op != target) {
            // The ring passes a cancel on only while the target is pending with us.
            throw new AssertionError("cancel of " + target.op() + " that this backend does not hold (slot " + ti + ")");
        }
        switch (t.state) {
            case Slot.QUEUED -> {
                unlinkBacklog(t);
                ready(t, -ECANCELED);
                ready(s, 0);
            }
            case Slot.READY -> ready(s, -ENOENT);
            case Slot.STARVED -> {
                unpark(t);
                ready(t, -ECANCELED);
                ready(s, 0);
            }
            case Slot.SUBMITTED -> {
                s.targetUserData = t.userData();
                t.cancelRequested = true;
                t.cancelledBy = s;
                queue(s);
            }
            default -> throw new AssertionError("cancel target slot " + ti + " is free");
        }
    }

    /** Writes the slot's SQEs, or queues it behind earlier ones when the SQ has no room. */
    private void queue(Slot s) {
        if (backlogHead == null && write(s)) return;
        s.state = Slot.QUEUED;
        s.next = null;
        if (backlogTail == null) backlogHead = s;
        else backlogTail.next = s;
        backlogTail = s;
    }

    private void unlinkBacklog(Slot t) {
        Slot prev = null;
        for (Slot x = backlogHead; x != null; prev = x, x = x.next) {
            if (x != t) continue;
            if (prev == null) backlogHead = x.next;
            else prev.next = x.next;
            if (backlogTail == x) backlogTail = prev;
            x.next = null;
            return;
        }
        throw new AssertionError("slot " + t.index + " is QUEUED but not in the backlog");
    }

    /** Moves backlog entries into the SQ while there is room. */
    private void drainBacklog() {
        while (backlogHead != null) {
            Slot s = backlogHead;
            Slot rest = s.next;
            // On success write() links s elsewhere (or nowhere); on failure it leaves s at the head.
            if (!write(s)) return;
            backlogHead = rest;
            if (rest == null) backlogTail = null;
        }
    }

    /** Puts a locally known result on the ready list; the next delivery completes it. */
    private void ready(Slot s, int res) {
        s.res = res;
        s.opDone = true;
        s.state = Slot.READY;
        s.next = null;
        if (readyTail == null) readyHead = s;
        else readyTail.next = s;
        readyTail = s;
    }

    /**
     * Encodes the slot's operation (and link timeout) into the SQ. Returns false when the SQ stays
     * full after handing what it holds to the kernel; the caller queues the slot.
     */
    private boolean write(Slot s) {
        Operation op = s.op;
        long deadline = 0;
        if (op.deadlineNanos() > 0) {
            deadline = op.deadlineNanos() - (System.nanoTime() - s.startedNanos);
            if (deadline <= 0) {
                // Only after EINTR/EAGAIN resubmission: the deadline passed meanwhile.
                ready(s, -ETIMEDOUT);
                return true;
            }
        }
        int need = deadline > 0 ? 2 : 1;
        if (sq.space() < need) {
            submitOnly();
            if (sq.space() < need) return false;
        }
        long at = sq.next();
        encode(s, at);
        if (deadline > 0) {
            SqeEncoder.link(sqes, at);
            long ts = timespec(s, 1, deadline);
            SqeEncoder.linkTimeout(sqes, sq.next(), ts, 0, s.linkUserData());
            s.linked = true;
        }
        s.state = Slot.SUBMITTED;
        s.next = null;
        return true;
    }

    /** The one switch that prepares each operation (TigerBeetle's IO.submit). */
    private void encode(Slot s, long at) {
        Operation op = s.op;
        long ud = s.userData();
        int fd = (int) op.handle();
        if (faults != null && faults.replace(op.op(), sqes, at, ud)) return;
        switch (op.op()) {
            case NOP -> SqeEncoder.nop(sqes, at, ud);
            // The new fd gets close-on-exec; the peer address is not asked for (getpeername has it).
            case ACCEPT -> SqeEncoder.accept(sqes, at, fd, 0, 0, SOCK_CLOEXEC, ud);
            case ACCEPT_MULTISHOT -> SqeEncoder.acceptMultishot(sqes, at, fd, SOCK_CLOEXEC, ud);
            case RECV_MULTISHOT -> SqeEncoder.recvMultishot(sqes, at, fd, s.group.groupId, 0, ud);
            case CONNECT -> {
                // The sockaddr stays in the slot until the final CQE, so it is valid whenever the
                // kernel copies it (at prep or at issue: that point has moved between versions).
                MemorySegment addr = scratch(s);
                int len = Sockaddrs.encode(op.address(), addr);
                SqeEncoder.connect(sqes, at, fd, addr.address(), len, ud);
            }
            case SEND -> SqeEncoder.send(sqes, at, fd, op.bufferAddress(), op.bufferLength(), MSG_NOSIGNAL, ud);
            case RECV -> SqeEncoder.recv(sqes, at, fd, op.bufferAddress(), op.bufferLength(), 0, ud);
            case SENDMSG, SENDTO, SEND_FDS -> SqeEncoder.sendmsg(sqes, at, fd, msghdr(s).address(), Messages.flags(op), ud);
            case RECVMSG, RECVFROM, RECV_FDS -> SqeEncoder.recvmsg(sqes, at, fd, msghdr(s).address(), Messages.flags(op), ud);
            case SHUTDOWN -> SqeEncoder.shutdown(sqes, at, fd, LinuxNumbers.shutdown(SHUTDOWNS[op.flags()]), ud);
            case TIMEOUT -> SqeEncoder.timeout(sqes, at, timespec(s, 0, op.timeoutNanos()), 0, 0, ud);
            case CANCEL -> SqeEncoder.cancel64(sqes, at, s.targetUserData, 0, ud);
            case SPLICE -> {
                // Only the readiness wait reaches the kernel; the splice itself runs on this thread.
                if (!s.polling) throw new AssertionError("SPLICE without its readiness poll");
                SqeEncoder.pollAdd(sqes, at, fd, op.flags() == Operation.SPLICE_PIPE_TO_SOCKET ? POLLOUT : POLLIN, ud);
            }
            default -> throw new AssertionError(op.op() + " has no SQE");
        }
        if (files != null) useFixedFile(op, fd, at);
    }

    /**
     * Points the SQE at the socket's registered-file index (IOSQE_FIXED_FILE), entering the
     * socket in the table on its first operation. SPLICE keeps plain fds: one of its two files is
     * a pipe, and its readiness poll is short-lived.
     */
    private void useFixedFile(Operation op, int fd, long at) {
        switch (op.op()) {
            case ACCEPT, ACCEPT_MULTISHOT, RECV_MULTISHOT, CONNECT, SEND, RECV, SENDMSG, SENDTO, SEND_FDS, RECVMSG, RECVFROM, RECV_FDS, SHUTDOWN -> {
                int index = files.indexOf(fd);
                if (index >= 0) SqeEncoder.fixedFile(sqes, at, index);
            }
            default -> {
            }
        }
    }

    /** Writes a relative __kernel_timespec into the slot's {@code which}-th timespec and returns its address. */
    private long timespec(Slot s, int which, long nanos) {
        long off = s.index * TIMESPECS_PER_SLOT + which * TIMESPEC_BYTES;
        timespecs.set(ValueLayout.JAVA_LONG, off + __kernel_timespec.OFFSET_tv_sec, nanos / 1_000_000_000L);
        timespecs.set(ValueLayout.JAVA_LONG, off + __kernel_timespec.OFFSET_tv_nsec, nanos % 1_000_000_000L);
        return timespecs.address() + off;
    }

    private MemorySegment scratch(Slot s) {
        if (s.scratch == null) s.scratch = arena.allocate(Slot.SCRATCH_BYTES, 8);
        return s.scratch;
    }

    /** Lays out the msghdr; the kernel reads it (and for receives writes it) until the CQE. */
    private MemorySegment msghdr(Slot s) {
        long need = Messages.scratchBytes(s.op);
        MemorySegment m;
        if (need <= Slot.SCRATCH_BYTES) {
            m = scratch(s);
        } else {
            // Many iovecs or fds: a layout of its own, freed when the op completes. Shared for the
            // same reason as the backend's arena (closeOrphaned completes ops from another thread).
            if (s.oversize == null) s.oversize = Arena.ofShared();
            m = s.oversize.allocate(need, 8);
        }
        s.msg = m;
        Messages.prepare(s.op, m);
        return m;
    }

    // Entering the kernel.

    /**
     * io_uring_submit: hands the SQ to the kernel without waiting. On EBUSY (CQ overcommitted on
     * older kernels, liburing #281) or EAGAIN (no memory for requests), posted CQEs are moved
     * to the ready list to make room (they are delivered by the next poll, never from here).
     */
    private void submitOnly() {
        for (int attempt = 0; attempt < 3; attempt++) {
            int n = sq.flush();
            if (n == 0) return;
            int r = ring.enter(n, 0, 0, MemorySegment.NULL, 0);
            if (r >= 0) return;
            switch (-r) {
                case EINTR -> {
                }
                case EBUSY, EAGAIN -> reap(false);
                default -> throw enterFailed(r);
            }
        }
    }

    private RuntimeException enterFailed(int r) {
        return switch (-r) {
            case EEXIST -> new IllegalStateException("io_uring_enter from a thread other than the ring's owner (IORING_SETUP_SINGLE_ISSUER): "
                    + Thread.currentThread().getName());
            case EBADR -> new IllegalStateException("io_uring dropped completions (EBADR): the kernel could not allocate overflow entries;"
                    + " some operations will never complete. Raise inflightMax's memory headroom or lower the load.");
            default -> new IllegalStateException("io_uring_enter failed", ErrnoState.failure("io_uring_enter", -r));
        };
    }

    /**
     * io_uring_submit_and_wait(_timeout): submits the SQ and, if {@code wait}, sleeps until a CQE
     * is posted, the timeout passes or a signal arrives.
     */
    private void enter(boolean wait, long timeoutNanos) {
        for (int attempt = 0; attempt < 3; attempt++) {
            int toSubmit = sq.flush();
            int flags = 0;
            int min = 0;
            if (wait) {
                flags = IORING_ENTER_GETEVENTS;
                min = 1;
            } else if (!taskrunFlag && taskrunDeferred || sq.needsEnterForCompletions()) {
                // Completions wait as task work or on the overflow list: only GETEVENTS posts them.
                flags = IORING_ENTER_GETEVENTS;
            }
            if (toSubmit == 0 && flags == 0) return;
            MemorySegment arg = MemorySegment.NULL;
            long argBytes = 0;
            if (wait && timeoutNanos > 0) {
                // IORING_ENTER_EXT_ARG (5.11): the wait gets a relative timeout of its own, no timeout SQE needed.
                __kernel_timespec.tv_sec(waitTimespec, timeoutNanos / 1_000_000_000L);
                __kernel_timespec.tv_nsec(waitTimespec, timeoutNanos % 1_000_000_000L);
                io_uring_getevents_arg.ts(waitArg, waitTimespec.address());
                flags |= IORING_ENTER_EXT_ARG;
                arg = waitArg;
                argBytes = io_uring_getevents_arg.SIZEOF;
            }
            int r = ring.enter(toSubmit, min, flags, arg, argBytes);
            if (r >= 0) return;
            switch (-r) {
                // The wait timed out, or a signal ended it: both just end this poll.
                case ETIME, EINTR -> {
                    return;
                }
                case EBUSY, EAGAIN -> {
                    // Make room by reaping, then try again without sleeping: the reaped CQEs are news.
                    reap(true);
                    wait = false;
                }
                default -> throw enterFailed(r);
            }
        }
    }

    // Completion.

    @Override
    public int poll(long timeoutNanos) throws SluiceException {
        if (closed || closing) throw new IllegalStateException("io_uring backend is closed");
        completed = 0;
        reap(true);
        drainBacklog();
        boolean wait = timeoutNanos != 0 && completed == 0 && readyHead == null;
        // The wakeup read must be pending before we sleep, or a wakeup() could go unnoticed.
        if (wait && !wakeup.armed) armWakeup();
        enter(wait, timeoutNanos);
        reap(true);
        drainBacklog();
        return completed;
    }

    /**
     * Reads every posted CQE (io_uring_peek_batch_cqe + io_uring_cq_advance) and drains the
     * kernel's overflow list, delivering results when {@code deliver}, else parking them on the
     * ready list. Not re-entrant: a resubmission inside it that finds the SQ full queues instead.
     */
    private void reap(boolean deliver) {
        if (reaping) return;
        reaping = true;
        try {
            for (;;) {
                if (deliver) deliverReady();
                int n = cq.ready();
                if (n == 0) {
                    // IORING_FEAT_NODROP parks CQEs that did not fit on an overflow list and sets
                    // IORING_SQ_CQ_OVERFLOW; an enter with GETEVENTS moves them into the CQ we just emptied.
                    if (!sq.cqOverflow()) break;
                    int r = ring.enter(0, 0, IORING_ENTER_GETEVENTS, MemorySegment.NULL, 0);
                    if (r < 0 && r != -EINTR && r != -EBUSY && r != -EAGAIN) throw enterFailed(r);
                    if (cq.ready() == 0) break;
                    continue;
                }
                for (int i = 0; i < n; i++) onCqe(cq.userData(i), cq.res(i), cq.flags(i), deliver);
                cq.advance(n);
            }
        } finally {
            reaping = false;
        }
    }

    /**
     * Delivers what is on the ready list now. Results that become ready meanwhile (a handler's
     * next splice, done at once at submission) wait for the next delivery: otherwise one busy
     * join would keep this loop, and the CQ, the timers and every other socket, waiting.
     */
    private void deliverReady() {
        Slot last = readyTail;
        while (readyHead != null) {
            Slot s = readyHead;
            readyHead = s.next;
            if (readyHead == null) readyTail = null;
            s.next = null;
            boolean end = s == last;
            finish(s);
            if (end) return;
        }
    }

    /** Routes one CQE by its user_data. */
    private void onCqe(long userData, int res, int flags, boolean deliver) {
        int kind = UserData.kind(userData);
        switch (kind) {
            case UserData.KIND_WAKEUP -> {
                if (!wakeup.armed) throw new AssertionError("wakeup CQE without a pending read: " + UserData.describe(userData));
                wakeup.consumed();
                if (!closing) armWakeup();
                // A wakeup ends poll() like a completion, so the ring looks at what it was woken for.
                // Without DEFER_TASKRUN this CQE can be posted at any return to user mode (a tick
                // will do) and reaped at the top of poll(), which must then not go to sleep.
                completed++;
            }
            case UserData.KIND_CLOSE_CANCEL, UserData.KIND_DRAIN_CANCEL, UserData.KIND_FEATURE_CHECK -> {
                // Results of internal cancels are not needed: the cancelled requests report for themselves.
            }
            case UserData.KIND_LINK_TIMEOUT -> {
                Slot s = slotOf(userData);
                if (!s.linked || s.linkDone) throw new AssertionError("unexpected link-timeout CQE: " + UserData.describe(userData));
                s.linkRes = res;
                s.linkDone = true;
                if (s.opDone) settle(s, deliver);
            }
            default -> {
                Slot s = slotOf(userData);
                if (s.kind != kind || s.opDone) {
                    throw new AssertionError("CQE does not match its slot: " + UserData.describe(userData) + ", slot holds kind " + s.kind
                            + (s.opDone ? " already done" : ""));
                }
                if (s.multishot) {
                    if ((flags & IORING_CQE_F_BUFFER) != 0) s.group.consumed();
                    if ((flags & IORING_CQE_F_MORE) != 0) {
                        // One result of many; the request stays armed. The ring queues it and runs
                        // the handler from its loop, so reporting it here, even inside submit, is safe.
                        if (res < 0) throw new AssertionError("multishot CQE with IORING_CQE_F_MORE and an error: " + res);
                        s.op.more(res, multishotAux(s, res, flags));
                        // Counted, so poll() does not go to sleep with this result undelivered. Without
                        // DEFER_TASKRUN the kernel posts CQEs at any syscall's return, so the reap at the
                        // top of poll() may find nothing but results like this one.
                        completed++;
                        return;
                    }
                    s.finalFlags = flags;
                }
                s.res = res;
                s.opDone = true;
                if (!s.linked || s.linkDone) settle(s, deliver);
            }
        }
    }

    /** The slot a CQE names, checked: a stale generation means a CQE outlived its operation. */
    private Slot slotOf(long userData) {
        int i = UserData.slot(userData);
        if (i >= slots.length) throw new AssertionError("CQE names slot " + i + " of " + slots.length + ": " + UserData.describe(userData));
        Slot s = slots[i];
        if (s.state != Slot.SUBMITTED || s.generation != UserData.generation(userData)) {
            throw new AssertionError("stale CQE " + UserData.describe(userData) + ": slot is in state " + s.state + " at generation "
                    + Integer.toUnsignedString(s.generation));
        }
        return s;
    }

    private void settle(Slot s, boolean deliver) {
        if (deliver) {
            finish(s);
        } else {
            s.state = Slot.READY;
            s.next = null;
            if (readyTail == null) readyHead = s;
            else readyTail.next = s;
            readyTail = s;
        }
    }

    /** ACCEPT_MULTISHOT: the new fd; RECV_MULTISHOT: the id of the buffer the bytes are in. */
    private static long multishotAux(Slot s, int res, int flags) {
        if (s.op.op() == Op.ACCEPT_MULTISHOT) return res;
        if ((flags & IORING_CQE_F_BUFFER) == 0) throw new AssertionError("multishot receive of " + res + " bytes without a buffer id");
        return flags >>> IORING_CQE_BUFFER_SHIFT;
    }

    /**
     * The final CQE of a multishot request. The request may end while the operation has not: the
     * kernel stops a multishot when the CQ is full (its last CQE still carries a result), and a
     * receive stops with -ENOBUFS when the buffer ring is empty. Those re-arm (a starved receive
     * once a buffer comes back), so the caller sees one operation until end of stream, an error
     * or a cancel.
     */
    private void finishMultishot(Slot s) {
        int res = s.res;
        Operation op = s.op;
        boolean rearm = mayResubmit(s);
        if (res > 0 || (res == 0 && op.op() == Op.ACCEPT_MULTISHOT)) {
            op.more(res, multishotAux(s, res, s.finalFlags));
            completed++;
            if (rearm) {
                multishotRearms++;
                resubmit(s);
                return;
            }
            res = -ECANCELED;
        } else if (res == -ENOBUFS && rearm) {
            multishotRearms++;
            if (s.group.available() > 0) {
                resubmit(s);
            } else {
                s.state = Slot.STARVED;
                s.next = s.group.starvedHead;
                s.group.starvedHead = s;
            }
            return;
        } else if (isInterrupted(res) || res == -EAGAIN || res == -ENOBUFS) {
            if (rearm) {
                resubmit(s);
                return;
            }
            res = -ECANCELED;
        }
        try {
            if (res >= 0) op.complete(0);
            else fail(op, -res);
        } finally {
            release(s);
            completed++;
        }
    }

    /** Every CQE of the slot is in: retry, or complete the operation and free the slot. */
    private void finish(Slot s) {
        if (s.multishot) {
            finishMultishot(s);
            return;
        }
        int res = s.res;
        boolean again = isInterrupted(res) || res == -EAGAIN;
        boolean polled = s.polling && res >= 0;
        if (polled && mayResubmit(s)) {
            // The socket is ready: splice now, on this thread (it is O_NONBLOCK, so this never sleeps).
            int r = spliceNow(s.op);
            if (r != -EAGAIN) {
                res = r;
                polled = false;
                again = false;
            }
            // EAGAIN: readiness was spurious (or the pipe side is not ready); poll again below.
        }
        if ((again || polled) && mayResubmit(s)) {
            // Never reach the user: the request was interrupted or would block; ask again. Or a
            // splice's poll fired but the splice would still block: wait again. The new
            // generation keeps any late CQE of the old request from matching.
            resubmit(s);
            return;
        }
        if (s.linkFired() && (res == -ECANCELED || again || polled)) {
            // IORING_OP_LINK_TIMEOUT fired (-ETIME, or -EALREADY while the op was running) and the op
            // was cancelled for it: the deadline passed.
            res = -ETIMEDOUT;
        } else if (again || polled) {
            // Closing, cancelled, or the socket closed between two submissions of the operation.
            res = -ECANCELED;
            // A CANCEL still waiting for its CQE missed the request (ENOENT) only because it was
            // between two submissions; it did cancel it (found by IoUringFaultTest).
            Slot c = s.cancelledBy;
            if (s.cancelRequested && c != null && c.state != Slot.FREE && c.op.op() == Op.CANCEL && c.op.target() == s.op) {
                c.targetCancelled = true;
            }
        }
        try {
            complete(s, res);
        } finally {
            release(s);
            completed++;
        }
    }

    /**
     * splice(2) between the (O_NONBLOCK) socket and the pipe, SPLICE_F_NONBLOCK for the pipe side:
     * never sleeps; EAGAIN when the socket (or the pipe) is not ready. Offsets NULL: neither a
     * pipe nor a socket has a file position. Result or -errno.
     */
    private int spliceNow(Operation op) {
        if (op.flags() == Operation.SPLICE_PUMP) return pump.run(op);
        int len = (int) Math.min(op.spliceLength(), Integer.MAX_VALUE);
        boolean fromSocket = op.flags() == Operation.SPLICE_SOCKET_TO_PIPE;
        int in = (int) (fromSocket ? op.handle() : op.spliceHandle());
        int out = (int) (fromSocket ? op.spliceHandle() : op.handle());
        for (;;) {
            long r = fcntl_h.splice(errno, in, MemorySegment.NULL, out, MemorySegment.NULL, len,
                    fcntl_h.SPLICE_F_MOVE | fcntl_h.SPLICE_F_NONBLOCK);
            if (r >= 0) return (int) r;
            int e = CapturedErrno.errno(errno);
            if (e != EINTR) return -e;
        }
    }

    /** splice(2) with SPLICE_F_NONBLOCK, EINTR retried: bytes or -errno. */
    private long spliceRaw(int in, int out, long len) {
        for (;;) {
            long r = fcntl_h.splice(errno, in, MemorySegment.NULL, out, MemorySegment.NULL, len,
                    fcntl_h.SPLICE_F_MOVE | fcntl_h.SPLICE_F_NONBLOCK);
            if (r >= 0) return r;
            int e = CapturedErrno.errno(errno);
            if (e != EINTR) return -e;
        }
    }

    @Override
    public boolean splicePump() {
        return spliceOpcodes;
    }

    private static boolean isInterrupted(int res) {
        return res == -EINTR || (res <= -ERESTARTSYS && res >= -ERESTART_RESTARTBLOCK);
    }

    /**
     * Whether an operation whose request came back unfinished may be submitted again: not while
     * closing, after its deadline, after a CANCEL aimed at it, or once its socket was closed (the
     * fd number may already name another file).
     */
    private boolean mayResubmit(Slot s) {
        return !closing && !s.linkFired() && !s.cancelRequested && (s.op.socket() == null || s.op.socket().isOpen())
                && (s.op.spliceTo() == null || s.op.spliceTo().isOpen());
    }

    private void resubmit(Slot s) {
        s.generation++;
        s.linked = false;
        s.opDone = false;
        s.linkDone = false;
        s.res = 0;
        s.linkRes = 0;
        if (s.oversize != null) {
            s.oversize.close();
            s.oversize = null;
        }
        queue(s);
    }

    /** The one switch that decodes results (TigerBeetle's per-op result handling). */
    private void complete(Slot s, int res) {
        Operation op = s.op;
        switch (op.op()) {
            case TIMEOUT -> {
                // A pure timer reports its expiry as -ETIME; that is its success.
                if (res == -ETIME || res >= 0) op.complete(0);
                else fail(op, -res);
            }
            case CANCEL -> {
                // 0: the target was found and cancelled; -EALREADY: it was running and will still
                // complete by itself; -ENOENT: it had already completed, or it was between two
                // submissions (a splice's poll had fired, an EINTR retry), which cancelRequested
                // turns into ECANCELED at its next turn: that counts as found.
                if (res == 0 || res == -EALREADY || (res == -ENOENT && (s.targetCancelled || targetStillCancellable(s)))) op.complete(0);
                else fail(op, -res);
            }
            case ACCEPT -> {
                if (res >= 0) forget(res);
                if (res >= 0) op.completeAccept(res);
                else fail(op, -res);
            }
            case SENDMSG, SENDTO, SEND_FDS, RECVMSG, RECVFROM, RECV_FDS -> {
                if (res >= 0) Messages.complete(op, s.msg, res, errno);
                else fail(op, -res);
            }
            case NOP, CONNECT, SHUTDOWN -> {
                if (res >= 0) op.complete(0);
                else fail(op, -res);
            }
            case SPLICE -> {
                // A pump parked between bursts has delivered bytes: cancelled or closed, it reports them.
                if (res < 0 && op.flags() == Operation.SPLICE_PUMP) res = SplicePump.stopped(op, res);
                if (res >= 0) op.complete(res);
                else fail(op, -res);
            }
            default -> {
                if (res >= 0) op.complete(res);
                else fail(op, -res);
            }
        }
    }

    /** The CANCEL's target still holds its slot, marked for cancellation. */
    private boolean targetStillCancellable(Slot cancel) {
        Slot t = slots[UserData.slot(cancel.targetUserData)];
        return t.op == cancel.op.target() && t.cancelRequested && (t.state == Slot.SUBMITTED || t.state == Slot.QUEUED);
    }

    private static void fail(Operation op, int linuxErrno) {
        op.fail(LinuxErrno.of(linuxErrno), linuxErrno);
    }

    // Wakeup.

    @Override
    public void wakeup() {
        wakeup.signal();
    }

    /** Keeps an IORING_OP_READ pending on the eventfd; a write(2) from any thread completes it. */
    private void armWakeup() {
        if (wakeup.armed) return;
        long at = sq.next();
        if (at < 0) {
            submitOnly();
            at = sq.next();
            // Still full: poll() arms it before it sleeps.
            if (at < 0) return;
        }
        SqeEncoder.read(sqes, at, wakeup.fd, wakeup.buffer.address(), 8, 0, UserData.internal(UserData.KIND_WAKEUP));
        wakeup.armed = true;
    }

    /**
     * Whether IORING_ASYNC_CANCEL_FD/ALL/ANY (5.19) are understood: before them the kernel rejects
     * any cancel_flags with -EINVAL. Asked once at open with a cancel on the (idle) eventfd.
     */
    private boolean checkCancelFlags() {
        long at = sq.next();
        SqeEncoder.cancelFd(sqes, at, wakeup.fd, IORING_ASYNC_CANCEL_ALL, UserData.internal(UserData.KIND_FEATURE_CHECK));
        int r;
        do {
            r = ring.enter(sq.flush(), 1, IORING_ENTER_GETEVENTS, MemorySegment.NULL, 0);
        } while (r == -EINTR);
        if (r < 0) throw enterFailed(r);
        int n = cq.ready();
        boolean supported = false;
        for (int i = 0; i < n; i++) {
            if (UserData.kind(cq.userData(i)) != UserData.KIND_FEATURE_CHECK) throw new AssertionError("unexpected CQE at open");
            supported = cq.res(i) != -EINVAL;
        }
        cq.advance(n);
        return supported;
    }

    // Closing.

    /**
     * Cancels the fd's requests, hands that cancel to the kernel, then closes the fd. io_uring
     * holds its own reference to the file of every pending request, so close(2) alone would leave a
     * pending recv pending forever; and the kernel looks the fd number up when the cancel runs, so
     * the cancel must have run before close(2) frees the number.
     */
    @Override
    public void closeSocket(long handle) throws SluiceException {
        if (closed || closing) {
            // While closing the table is still registered; its entry would keep the socket open.
            if (files != null && !closed) files.remove((int) handle);
            PosixSockets.INSTANCE.close(handle);
            return;
        }
        int fd = (int) handle;
        // Receives parked for lack of buffers hold no request in the kernel: they end here.
        for (BufferRing g : bufferRings) {
            for (Slot x = g.starvedHead; x != null; ) {
                Slot next = x.next;
                if (x.op.handle() == handle) {
                    unpark(x);
                    ready(x, -ECANCELED);
                }
                x = next;
            }
        }
        // Requests still in our backlog never reached the kernel: they end here.
        for (Slot x = backlogHead; x != null; ) {
            Slot next = x.next;
            if (x.op.handle() == handle) {
                unlinkBacklog(x);
                ready(x, -ECANCELED);
            }
            x = next;
        }
        if (cancelByFd) {
            // Every request of ours on a socket names it in its fd field (a splice's is a POLL_ADD on
            // the socket), so one cancel by fd finds them all.
            SqeEncoder.cancelFd(sqes, sqeForInternal(), fd, IORING_ASYNC_CANCEL_ALL, UserData.internal(UserData.KIND_CLOSE_CANCEL));
        } else {
            for (Slot x : slots) {
                if (x.state == Slot.SUBMITTED && x.op.handle() == handle && !x.opDone) {
                    SqeEncoder.cancel64(sqes, sqeForInternal(), x.userData(), 0, UserData.internal(UserData.KIND_CLOSE_CANCEL));
                }
            }
        }
        submitAll();
        // The table's entry holds its own reference to the socket: drop it first, or close(2)
        // would not release the socket (no FIN). Requests still in flight keep it until they end.
        if (files != null) files.remove(fd);
        forget(handle);
        PosixSockets.INSTANCE.close(handle);
    }

    /** An SQE for an internal request, flushing the SQ to the kernel when it is full. */
    private long sqeForInternal() {
        for (int attempt = 0; attempt < 4; attempt++) {
            long at = sq.next();
            if (at >= 0) return at;
            submitOnly();
        }
        throw new IllegalStateException("io_uring SQ stays full; the kernel accepts no submissions");
    }

    /** Hands every written SQE to the kernel now. */
    private void submitAll() {
        for (int attempt = 0; attempt < 8 && sq.pending() > 0; attempt++) submitOnly();
        if (sq.pending() > 0) throw new IllegalStateException("io_uring kept " + sq.pending() + " SQEs unsubmitted");
    }

    /**
     * Cancels everything in flight, reaps until every operation has completed exactly once (with
     * its own result or ECANCELED) and the wakeup read is done, then unmaps the ring and closes
     * its fd and the eventfd. Only then is the native memory released: the kernel may write into
     * scratch memory until a request's final CQE.
     */
    @Override
    public void close() {
        if (closed || closing) return;
        if (Thread.currentThread() != owner && ring.has(IORING_SETUP_SINGLE_ISSUER)) {
            closeOrphaned();
            return;
        }
        closing = true;
        try {
            while (backlogHead != null) {
                Slot s = backlogHead;
                backlogHead = s.next;
                if (backlogHead == null) backlogTail = null;
                ready(s, -ECANCELED);
            }
            for (BufferRing g : bufferRings) {
                while (g.starvedHead != null) {
                    Slot s = g.starvedHead;
                    g.starvedHead = s.next;
                    ready(s, -ECANCELED);
                }
            }
            reap(true);
            cancelAll();
            long lastCancel = System.nanoTime();
            while (active > 0 || wakeup.armed) {
                if (System.nanoTime() - lastCancel > CLOSE_RECANCEL_NANOS) {
                    // Requests that were running when cancelled (-EALREADY) finish by themselves; ask again meanwhile.
                    cancelAll();
                    lastCancel = System.nanoTime();
                }
                enter(true, 100_000_000L);
                reap(true);
            }
        } finally {
            closed = true;
            // Releases every registered socket now rather than in the ring's asynchronous teardown.
            if (files != null) files.unregister();
            ring.close();
            wakeup.close(errno);
            for (Slot s : slots) if (s.oversize != null) s.oversize.close();
            // The kernel dropped the buffer rings with the ring; the memory goes with the pools.
            arena.close();
        }
    }

    /**
     * close() from another thread, which the ring does only after the owner thread ended without
     * closing. Under SINGLE_ISSUER the kernel refuses io_uring_enter and io_uring_register from
     * any other task (EEXIST), so nothing can be submitted, cancelled or waited for. And an
     * ending thread does not cancel its requests (do_exit's io_uring_files_cancel cancels only
     * requests that pin io_uring files; the rest belong to the ring): they stay pending, and
     * whatever they complete is posted as deferred task work that only the dead owner could run.
     *
     * <p>So: CQEs already in the CQ are delivered as usual; every other operation completes here
     * with ECANCELED; then the rings are unmapped and the ring fd closed, which makes the kernel's
     * teardown (io_ring_exit_work) cancel and free those requests, asynchronously. Until it has,
     * a receive may still write into its buffer and a msg op into its msghdr scratch, so when any
     * request was still out, this backend's native memory is left allocated (a bounded leak that
     * only this path causes). Documented in docs/design-io_uring.md.
     */
    private void closeOrphaned() {
        closing = true;
        boolean drained = false;
        try {
            while (backlogHead != null) {
                Slot s = backlogHead;
                backlogHead = s.next;
                if (backlogHead == null) backlogTail = null;
                ready(s, -ECANCELED);
            }
            deliverReady();
            int n = cq.ready();
            for (int i = 0; i < n; i++) onCqe(cq.userData(i), cq.res(i), cq.flags(i), true);
            cq.advance(n);
            drained = active == 0 && !wakeup.armed;
        } finally {
            closed = true;
            // The file table goes with the ring (io_uring_register would be refused from here).
            ring.close();
            wakeup.close(errno);
            for (Slot s : slots) {
                if (s.state == Slot.FREE) continue;
                // Never submitted again (closing), never linked to a timeout that fired: ECANCELED.
                s.res = -ECANCELED;
                s.opDone = true;
                s.linked = false;
                // The kernel may still write its msghdr: leave an oversize layout allocated.
                s.oversize = null;
                finish(s);
            }
            if (drained) {
                for (Slot s : slots) if (s.oversize != null) s.oversize.close();
                arena.close();
            } else {
                orphanedMemoryLeft = true;
            }
        }
    }

    /** closeOrphaned left native memory allocated because requests were still in the kernel (tests; buffer rings keep theirs too). */
    boolean orphanedMemoryLeft;

    private void cancelAll() {
        if (cancelByFd) {
            // IORING_ASYNC_CANCEL_ANY|ALL (5.19): every request of this ring, the wakeup read included.
            SqeEncoder.rw(sqes, sqeForInternal(), IORING_OP_ASYNC_CANCEL, -1, 0, 0, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL,
                    UserData.internal(UserData.KIND_DRAIN_CANCEL));
        } else {
            for (Slot s : slots) {
                if (s.state == Slot.SUBMITTED && !s.opDone) {
                    SqeEncoder.cancel64(sqes, sqeForInternal(), s.userData(), 0, UserData.internal(UserData.KIND_DRAIN_CANCEL));
                }
            }
            if (wakeup.armed) {
                SqeEncoder.cancel64(sqes, sqeForInternal(), UserData.internal(UserData.KIND_WAKEUP), 0, UserData.internal(UserData.KIND_DRAIN_CANCEL));
            }
        }
        submitAll();
    }

    @Override
    public String toString() {
        return "IoUringBackend[" + describeSetup() + ", active " + active + (closed ? ", closed" : "") + "]";
    }
}
