package dev.sluice.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Equal-size receive buffers that the kernel (io_uring's provided-buffer ring) or a readiness
 * engine picks from when data arrives, for {@code Op.RECV_MULTISHOT}. The memory is one
 * page-aligned block, {@code count × size} bytes; buffer {@code id} starts at {@code id × size}.
 *
 * <p>Ownership: every buffer starts with the group. A receive takes one and reports its id with
 * {@link Operation#more(int, long)}; from then on the ring owns it until it calls
 * {@link #recycle(int)}. A backend that finds no buffer does not end the operation (that is the
 * ENOBUFS trap of liburing #1275): it parks it until {@link #recycle(int)} gives one back.
 *
 * <p>Owner thread only. {@link #close()} releases the memory; the ring calls it only when no
 * operation uses the group and no buffer is out.
 */
public abstract class BufferGroup {
    /** Buffers per group at most: io_uring's buffer ids are 16 bits and its ring holds up to 32768 entries. */
    public static final int COUNT_MAX = 32768;
    /** Bytes per buffer at most. */
    public static final int SIZE_MAX = 1 << 30;

    private final Arena arena;
    private final MemorySegment memory;
    private final MemorySegment[] views;
    private final int size;
    private boolean closed;

    /** Allocates {@code count} buffers of {@code size} bytes; checks the limits first. */
    protected BufferGroup(int count, int size) {
        checkShape(count, size);
        this.size = size;
        // Shared: a handler may hand a buffer to a virtual thread that reads it elsewhere.
        this.arena = Arena.ofShared();
        this.memory = arena.allocate((long) count * size, 4096);
        this.views = new MemorySegment[count];
        for (int i = 0; i < count; i++) views[i] = memory.asSlice((long) i * size, size);
    }

    /** Throws IllegalArgumentException naming the value when a pool shape is out of range. */
    public static void checkShape(int count, int size) {
        if (count < 1 || count > COUNT_MAX || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("buffer count must be a power of two from 1 to " + COUNT_MAX + ", got " + count);
        }
        if (size < 1 || size > SIZE_MAX) throw new IllegalArgumentException("buffer size must be 1 to " + SIZE_MAX + " bytes, got " + size);
        if ((long) count * size > (1L << 34)) throw new IllegalArgumentException("buffer pool of " + count + " × " + size + " bytes exceeds 16 GiB");
    }

    public final int count() {
        return views.length;
    }

    public final int size() {
        return size;
    }

    /** The whole block. */
    public final MemorySegment memory() {
        return memory;
    }

    /** Buffer {@code id}, full size; preallocated, so handing it out allocates nothing. */
    public final MemorySegment buffer(int id) {
        return views[id];
    }

    /** Gives buffer {@code id} back for the next receive. */
    public abstract void recycle(int id);

    /** Buffers the group holds right now (not taken by a receive and not out with the ring). */
    public abstract int available();

    /** Releases the backend's resources for the group; then the memory. */
    public void close() {
        if (closed) return;
        closed = true;
        arena.close();
    }

    /** Marks the group closed without freeing its memory, for when the kernel may still write into it. */
    protected final void abandon() {
        closed = true;
    }

    public final boolean isClosed() {
        return closed;
    }
}
