package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Layout of {@code struct epoll_event}. glibc declares it {@code __EPOLL_PACKED}, which is
 * {@code __attribute__((packed))} on x86_64 only: there {@code data} sits at offset 4 and the struct is
 * 12 bytes (so {@code data} is unaligned in arrays); on aarch64 and other 64-bit targets {@code data}
 * is at 8 and the struct is 16 bytes. The layout is chosen from {@code os.arch} at class init.
 * {@code data} is the {@code epoll_data_t} union ({@code ptr}, {@code fd}, {@code u32}, {@code u64});
 * it is accessed as its 64-bit {@code u64} member.
 */
public final class epoll_event {
    private epoll_event() {}

    /** True where glibc packs the struct (x86_64). */
    public static final boolean PACKED = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };

    private static final GroupLayout $LAYOUT = PACKED
            ? MemoryLayout.structLayout(
                    C_INT.withByteAlignment(1).withName("events"),
                    C_LONG_LONG.withByteAlignment(1).withName("data")
            ).withName("epoll_event")
            : MemoryLayout.structLayout(
                    C_INT.withName("events"),
                    MemoryLayout.paddingLayout(4),
                    C_LONG_LONG.withName("data")
            ).withName("epoll_event");

    // Packed: _Alignof is 1, so neither member may assume alignment.
    private static final ValueLayout.OfInt EVENTS = PACKED ? C_INT.withByteAlignment(1) : C_INT;
    private static final ValueLayout.OfLong DATA = PACKED ? C_LONG_LONG.withByteAlignment(1) : C_LONG_LONG;

    /** The layout of {@code struct epoll_event} for this architecture. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct epoll_event)}: 12 on x86_64, 16 elsewhere. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = PACKED ? 12 : 16;

    /** Allocates one zero-filled {@code struct epoll_event}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates an array of {@code count} events for epoll_wait. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    public static final long OFFSET_events = 0;

    public static long events$offset() {
        return OFFSET_events;
    }

    public static int events(MemorySegment struct) {
        return struct.get(EVENTS, OFFSET_events);
    }

    public static void events(MemorySegment struct, int fieldValue) {
        struct.set(EVENTS, OFFSET_events, fieldValue);
    }

    public static final long OFFSET_data = PACKED ? 4 : 8;

    public static long data$offset() {
        return OFFSET_data;
    }

    /** {@code data.u64}; unaligned on x86_64, where packed arrays put it at 4 mod 8. */
    public static long data(MemorySegment struct) {
        return struct.get(DATA, OFFSET_data);
    }

    public static void data(MemorySegment struct, long fieldValue) {
        struct.set(DATA, OFFSET_data, fieldValue);
    }

    /** Element {@code index} of an array of events. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }
}
