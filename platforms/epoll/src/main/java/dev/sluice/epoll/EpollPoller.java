package dev.sluice.epoll;

import static dev.sluice.bindings.linux.sys_epoll_h.EPOLLERR;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLLET;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLLHUP;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLLIN;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLLOUT;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLLPRI;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLLRDHUP;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLL_CLOEXEC;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLL_CTL_ADD;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLL_CTL_DEL;
import static dev.sluice.bindings.linux.sys_epoll_h.EPOLL_CTL_MOD;

import dev.sluice.SluiceException;
import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.epoll_event;
import dev.sluice.bindings.linux.errno_h;
import dev.sluice.bindings.linux.sys_epoll_h;
import dev.sluice.bindings.linux.sys_eventfd_h;
import dev.sluice.bindings.linux.syscall_h;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.posix.ErrnoState;
import dev.sluice.posix.Segments;
import dev.sluice.posix.readiness.PollEvents;
import dev.sluice.posix.readiness.Poller;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An epoll instance in edge-triggered mode, plus an eventfd for {@link #wakeup()}.
 *
 * <p>Each socket is registered once, at first use, with
 * {@code EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET}, and stays registered until it is closed: no
 * epoll_ctl per operation. Edge-triggered is safe because the engine always tries the syscall
 * before waiting and only waits after EAGAIN, and an edge queued after registration is never lost
 * (epoll(7), "edge-triggered"). The eventfd is level-triggered and drained when it fires.
 *
 * <p>{@code struct epoll_event} is packed on x86_64 (12 bytes, data at offset 4) and 16 bytes
 * elsewhere; {@link epoll_event} picks the layout, and events are read by offset from one
 * preallocated array, so harvesting allocates nothing.
 */
public final class EpollPoller implements Poller {
    /** The token of the wakeup eventfd; socket tokens carry an fd below 2^24 in their low bits. */
    private static final long WAKEUP_TOKEN = -1L;
    /** EPOLLRDHUP and EPOLLPRI are asked for so the engine learns of a pending FIN or urgent mark. */
    private static final int SOCKET_EVENTS = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET;
    private static final ValueLayout.OfLong DATA = ValueLayout.JAVA_LONG_UNALIGNED;
    /**
     * Waits of 0 (the loop had completions to deliver and only harvests the ready list) go through
     * the bare epoll_pwait syscall linked critical: no Java thread-state transition and no glibc
     * cancellation bracket around a call that never blocks. Blocking waits keep libc's epoll_wait,
     * which must let safepoints proceed while the thread sleeps.
     */
    private static final boolean BARE_NOWAIT = syscall_h.SYS_epoll_pwait >= 0 && !Boolean.getBoolean("sluice.libcEpollWait");

    private final Arena arena = Arena.ofShared();
    /** Loop thread only, passed to every epoll_wait: unscoped like {@link #events} (see Segments.unscoped). */
    private final MemorySegment errno = Segments.unscoped(CapturedErrno.allocate(arena));
    private final MemorySegment events;
    private final long eventsAddress;
    private final MemorySegment control = epoll_event.allocate(arena);
    private final MemorySegment drain = arena.allocate(ValueLayout.JAVA_LONG);
    /** Holds 1, written by wakers on any thread; never changed after construction. */
    private final MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
    private final int eventsMax;
    private final int epfd;
    private final int eventFd;
    /** Wakers inside {@link #wakeup()}; close waits for them so none writes to a reused fd number. */
    private final AtomicInteger wakers = new AtomicInteger();
    private volatile boolean closed;

    /** Opens an epoll instance delivering up to {@code eventsMax} events per wait. */
    public EpollPoller(int eventsMax) throws SluiceException {
        if (eventsMax < 1) throw new IllegalArgumentException("eventsMax must be >= 1, got " + eventsMax);
        this.eventsMax = eventsMax;
        // The arena is shared (wakeup() runs on any thread); the event array is the loop's alone.
        this.events = Segments.unscoped(epoll_event.allocateArray(eventsMax, arena));
        this.eventsAddress = events.address();
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        int ep = sys_epoll_h.epoll_create1(errno, EPOLL_CLOEXEC);
        if (ep < 0) {
            arena.close();
            throw ErrnoState.failure("epoll_create1", CapturedErrno.errno(errno));
        }
        int ev = sys_eventfd_h.eventfd(errno, 0, sys_eventfd_h.EFD_CLOEXEC | sys_eventfd_h.EFD_NONBLOCK);
        if (ev < 0) {
            int e = CapturedErrno.errno(errno);
            unistd_h.close(errno, ep);
            arena.close();
            throw ErrnoState.failure("eventfd", e);
        }
        epfd = ep;
        eventFd = ev;
        epoll_event.events(control, EPOLLIN);
        epoll_event.data(control, WAKEUP_TOKEN);
        if (sys_epoll_h.epoll_ctl(errno, epfd, EPOLL_CTL_ADD, eventFd, control) < 0) {
            int e = CapturedErrno.errno(errno);
            unistd_h.close(errno, eventFd);
            unistd_h.close(errno, epfd);
            arena.close();
            throw ErrnoState.failure("epoll_ctl ADD eventfd " + ev + " to epoll fd " + ep, e);
        }
    }

    /** The epoll fd, for diagnostics. */
    public int fd() {
        return epfd;
    }

    @Override
    public int eventsMax() {
        return eventsMax;
    }

    @Override
    public int register(int fd, long token) {
        if (token == WAKEUP_TOKEN) throw new AssertionError("token " + token + " is reserved for the wakeup eventfd");
        epoll_event.events(control, SOCKET_EVENTS);
        epoll_event.data(control, token);
        if (sys_epoll_h.epoll_ctl(errno, epfd, EPOLL_CTL_ADD, fd, control) == 0) return 0;
        int e = CapturedErrno.errno(errno);
        if (e != errno_h.EEXIST) return -e;
        // Still registered through another fd of the same open file description (a dup we received): take it over.
        return sys_epoll_h.epoll_ctl(errno, epfd, EPOLL_CTL_MOD, fd, control) == 0 ? 0 : -CapturedErrno.errno(errno);
    }

    @Override
    public int unregister(int fd) {
        // A non-NULL event keeps kernels before 2.6.9 happy (epoll_ctl(2), BUGS); harmless since.
        return sys_epoll_h.epoll_ctl(errno, epfd, EPOLL_CTL_DEL, fd, control) == 0 ? 0 : -CapturedErrno.errno(errno);
    }

    @Override
    public int wait(long timeoutNanos, PollEvents out) throws SluiceException {
        out.clear();
        // epoll_wait counts milliseconds: round up, or a short timer would spin with zero waits.
        int ms = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int n = ms == 0 && BARE_NOWAIT ? syscall_h.epoll_pwait_nowait(errno, epfd, eventsAddress, eventsMax)
                : sys_epoll_h.epoll_wait(errno, epfd, events, eventsMax, ms);
        if (n < 0) {
            int e = CapturedErrno.errno(errno);
            if (e == errno_h.EINTR) return 0;
            throw ErrnoState.failure("epoll_wait on epoll fd " + epfd, e);
        }
        for (int i = 0; i < n; i++) {
            long at = i * epoll_event.SIZEOF;
            int bits = events.get(ValueLayout.JAVA_INT_UNALIGNED, at + epoll_event.OFFSET_events);
            long token = events.get(DATA, at + epoll_event.OFFSET_data);
            if (token == WAKEUP_TOKEN) {
                // Reading resets the counter; EAGAIN means another wait already drained it.
                unistd_h.read(errno, eventFd, drain, 8);
                continue;
            }
            int flags = 0;
            if ((bits & (EPOLLIN | EPOLLRDHUP | EPOLLPRI)) != 0) flags |= PollEvents.READABLE;
            if ((bits & EPOLLRDHUP) != 0) flags |= PollEvents.PEER_CLOSED;
            if ((bits & EPOLLPRI) != 0) flags |= PollEvents.URGENT;
            if ((bits & EPOLLOUT) != 0) flags |= PollEvents.WRITABLE;
            if ((bits & EPOLLERR) != 0) flags |= PollEvents.ERROR;
            if ((bits & EPOLLHUP) != 0) flags |= PollEvents.HANGUP;
            out.add(token, flags);
        }
        return out.count();
    }

    @Override
    public void wakeup() {
        wakers.incrementAndGet();
        try {
            if (closed) return;
            // EAGAIN (counter at its maximum) still leaves the eventfd readable: the loop wakes either way.
            unistd_h.write(ErrnoState.current(), eventFd, one, 8);
        } finally {
            wakers.decrementAndGet();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // A waker that saw closed == false is still writing; wait for it before the number can be reused.
        while (wakers.get() != 0) Thread.onSpinWait();
        unistd_h.close(errno, eventFd);
        unistd_h.close(errno, epfd);
        arena.close();
    }
}
