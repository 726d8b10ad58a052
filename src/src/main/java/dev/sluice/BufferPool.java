package dev.sluice;

import dev.sluice.spi.BufferGroup;
import java.lang.foreign.MemorySegment;

/**
 * Receive buffers for {@link Ring#recvMultishot}: {@link #bufferCount()} buffers of
 * {@link #bufferSize()} bytes in one block of native memory. On io_uring it is a provided-buffer
 * ring (IORING_REGISTER_PBUF_RING): the kernel picks a buffer when data arrives, so an idle
 * connection holds none; readiness backends pick one from the same pool before each recv.
 *
 * <p>A buffer comes to the handler with each result ({@link Completion#buffer()},
 * {@link Completion#bufferId()}) and goes back to the pool when the handler returns, unless the
 * handler {@linkplain Completion#keepBuffer() keeps} it; then {@link #release(int)} gives it back.
 * Receives that find the pool empty wait for a buffer to come back; they do not fail.
 *
 * <p>Open with {@link Ring#openBufferPool(int, int)}; owner thread only, like the ring's other
 * loop state. Closing the ring closes its pools.
 */
public final class BufferPool implements AutoCloseable {
    private final Ring ring;
    final BufferGroup group;
    private final boolean[] kept;
    private int keptCount;
    /** RECV_MULTISHOT operations using the pool right now. */
    int users;

    BufferPool(Ring ring, BufferGroup group) {
        this.ring = ring;
        this.group = group;
        this.kept = new boolean[group.count()];
    }

    /** How many buffers the pool has. */
    public int bufferCount() {
        return group.count();
    }

    /** Bytes per buffer: the most one result of a multishot receive carries. */
    public int bufferSize() {
        return group.size();
    }

    /** Buffer {@code id}, full size (a preallocated view: no allocation). */
    public MemorySegment buffer(int id) {
        checkId(id);
        return group.buffer(id);
    }

    /** Buffers ready for the next receive right now. */
    public int available() {
        return group.available();
    }

    /** Buffers kept by handlers and not yet released. */
    public int keptCount() {
        return keptCount;
    }

    /** Gives back a buffer that a handler kept with {@link Completion#keepBuffer()}. Ring thread. */
    public void release(int id) {
        ring.checkOwner("BufferPool.release");
        checkId(id);
        if (!kept[id]) throw new IllegalStateException("buffer " + id + " is not kept by the caller: releasing it twice would hand the kernel a buffer in use");
        if (group.isClosed()) throw new IllegalStateException("buffer pool is closed");
        kept[id] = false;
        keptCount--;
        group.recycle(id);
    }

    /**
     * Releases the pool's memory; views of its buffers become unusable (access throws). Refused
     * while a multishot receive uses the pool: cancel or let it end first.
     */
    @Override
    public void close() {
        ring.checkOwner("BufferPool.close");
        if (group.isClosed()) return;
        if (users > 0) throw new IllegalStateException(users + " multishot receive(s) still use this pool; cancel them and wait for their final result first");
        ring.closePool(this);
    }

    public boolean isClosed() {
        return group.isClosed();
    }

    Ring ring() {
        return ring;
    }

    void keep(int id) {
        kept[id] = true;
        keptCount++;
    }

    private void checkId(int id) {
        if (id < 0 || id >= kept.length) throw new IndexOutOfBoundsException("buffer id " + id + " is outside 0.." + (kept.length - 1));
    }

    @Override
    public String toString() {
        return "BufferPool[" + bufferCount() + " × " + bufferSize() + " B, available " + (isClosed() ? "-" : available()) + ", kept " + keptCount
                + (isClosed() ? ", closed" : "") + "]";
    }
}
