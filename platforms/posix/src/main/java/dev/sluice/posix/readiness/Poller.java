package dev.sluice.posix.readiness;

import dev.sluice.SluiceException;

/**
 * A kernel readiness queue (epoll on Linux, kqueue on the BSDs and macOS) as the
 * {@link ReadinessBackend} sees it. Owned by the loop thread; only {@link #wakeup()} may be called
 * from other threads.
 *
 * <p>The contract is edge-triggered: after {@link #register(int, long)} the poller reports an
 * event whenever the fd becomes readable or writable (or fails, or hangs up), once per change,
 * not once per wait while the condition lasts. A report may be spurious; the engine always tries
 * the syscall and treats EAGAIN as "wait for the next event". This is epoll's {@code EPOLLET} and
 * kqueue's {@code EV_CLEAR}; both directions are watched from registration until
 * {@link #unregister(int)}, so the engine never touches the poller per operation.
 */
public interface Poller {
    /**
     * Starts watching {@code fd} for both directions; {@code token} comes back with every event.
     * Reports readiness that already holds at registration.
     *
     * @return 0, or a negative errno (e.g. -EPERM for an fd the poller cannot watch)
     */
    int register(int fd, long token);

    /**
     * Stops watching {@code fd}. Call it before close(2): epoll watches the open file description,
     * not the fd number, so a dup'd copy (SCM_RIGHTS to ourselves, fork) would keep reporting.
     *
     * @return 0, or a negative errno (-ENOENT, -EBADF are harmless here)
     */
    int unregister(int fd);

    /** How many events one {@link #wait(long, PollEvents)} can deliver. */
    int eventsMax();

    /**
     * Waits up to {@code timeoutNanos} (0: not at all; negative: until an event or a wakeup) and
     * writes what happened into {@code events}, which it clears first. A wakeup is consumed here
     * and not reported. An interrupted wait (EINTR) returns 0 events.
     *
     * @return the number of events delivered
     */
    int wait(long timeoutNanos, PollEvents events) throws SluiceException;

    /** Makes a waiting or the next {@link #wait(long, PollEvents)} return. Any thread; no-op after close. */
    void wakeup();

    /** Releases the kernel object and native memory. Idempotent. */
    void close();
}
