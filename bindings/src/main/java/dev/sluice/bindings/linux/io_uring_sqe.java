// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Layout of {@code struct io_uring_sqe} (64 bytes; the second 64 of an IORING_SETUP_SQE128 entry are
 * {@code cmd} data and not modelled). The C struct has anonymous unions: the layout names each union
 * after its first member ({@code off}, {@code addr}, {@code rw_flags}, {@code buf_index},
 * {@code splice_fd_in}, {@code addr3}), and the other names get {@code OFFSET_<name>} constants and
 * accessors of their own C type ({@code addr2}, {@code msg_flags}, {@code buf_group},
 * {@code file_index}, ...). Member names follow Linux 6.1's UAPI header.
 */
public final class io_uring_sqe {
    private io_uring_sqe() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("opcode"),
        C_CHAR.withName("flags"),
        C_SHORT.withName("ioprio"),
        C_INT.withName("fd"),
        C_LONG_LONG.withName("off"),
        C_LONG_LONG.withName("addr"),
        C_INT.withName("len"),
        C_INT.withName("rw_flags"),
        C_LONG_LONG.withName("user_data"),
        C_SHORT.withName("buf_index"),
        C_SHORT.withName("personality"),
        C_INT.withName("splice_fd_in"),
        C_LONG_LONG.withName("addr3"),
        MemoryLayout.sequenceLayout(1, C_LONG_LONG).withName("__pad2")
    ).withName("io_uring_sqe");

    /** The layout of {@code struct io_uring_sqe}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_sqe)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 64;

    /** Allocates one zero-filled {@code struct io_uring_sqe}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_sqe}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_sqe}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_opcode = 0;

    public static long opcode$offset() {
        return OFFSET_opcode;
    }

    public static byte opcode(MemorySegment struct) {
        return struct.get(C_CHAR, OFFSET_opcode);
    }

    public static void opcode(MemorySegment struct, byte fieldValue) {
        struct.set(C_CHAR, OFFSET_opcode, fieldValue);
    }

    public static final long OFFSET_flags = 1;

    public static long flags$offset() {
        return OFFSET_flags;
    }

    public static byte flags(MemorySegment struct) {
        return struct.get(C_CHAR, OFFSET_flags);
    }

    public static void flags(MemorySegment struct, byte fieldValue) {
        struct.set(C_CHAR, OFFSET_flags, fieldValue);
    }

    public static final long OFFSET_ioprio = 2;

    public static long ioprio$offset() {
        return OFFSET_ioprio;
    }

    public static short ioprio(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_ioprio);
    }

    public static void ioprio(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_ioprio, fieldValue);
    }

    public static final long OFFSET_fd = 4;

    public static long fd$offset() {
        return OFFSET_fd;
    }

    public static int fd(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_fd);
    }

    public static void fd(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_fd, fieldValue);
    }

    public static final long OFFSET_off = 8;

    public static long off$offset() {
        return OFFSET_off;
    }

    public static long off(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_off);
    }

    public static void off(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_off, fieldValue);
    }

    public static final long OFFSET_addr = 16;

    public static long addr$offset() {
        return OFFSET_addr;
    }

    public static long addr(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_addr);
    }

    public static void addr(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_addr, fieldValue);
    }

    public static final long OFFSET_len = 24;

    public static long len$offset() {
        return OFFSET_len;
    }

    public static int len(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_len);
    }

    public static void len(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_len, fieldValue);
    }

    public static final long OFFSET_rw_flags = 28;

    public static long rw_flags$offset() {
        return OFFSET_rw_flags;
    }

    public static int rw_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_rw_flags);
    }

    public static void rw_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_rw_flags, fieldValue);
    }

    public static final long OFFSET_user_data = 32;

    public static long user_data$offset() {
        return OFFSET_user_data;
    }

    public static long user_data(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_user_data);
    }

    public static void user_data(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_user_data, fieldValue);
    }

    public static final long OFFSET_buf_index = 40;

    public static long buf_index$offset() {
        return OFFSET_buf_index;
    }

    public static short buf_index(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_buf_index);
    }

    public static void buf_index(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_buf_index, fieldValue);
    }

    public static final long OFFSET_personality = 42;

    public static long personality$offset() {
        return OFFSET_personality;
    }

    public static short personality(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_personality);
    }

    public static void personality(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_personality, fieldValue);
    }

    public static final long OFFSET_splice_fd_in = 44;

    public static long splice_fd_in$offset() {
        return OFFSET_splice_fd_in;
    }

    public static int splice_fd_in(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_splice_fd_in);
    }

    public static void splice_fd_in(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_splice_fd_in, fieldValue);
    }

    public static final long OFFSET_addr3 = 48;

    public static long addr3$offset() {
        return OFFSET_addr3;
    }

    public static long addr3(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_addr3);
    }

    public static void addr3(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_addr3, fieldValue);
    }

    public static final long OFFSET___pad2 = 56;

    public static long __pad2$offset() {
        return OFFSET___pad2;
    }

    public static MemorySegment __pad2(MemorySegment struct) {
        return struct.asSlice(OFFSET___pad2, 8);
    }

    public static void __pad2(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET___pad2, 8);
    }

    public static final long OFFSET_addr2 = 8;

    public static long addr2$offset() {
        return OFFSET_addr2;
    }

    // addr2 shares storage with another member of a C union; no layout member of its own.

    public static long addr2(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_addr2);
    }

    public static void addr2(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_addr2, fieldValue);
    }

    public static final long OFFSET_cmd_op = 8;

    public static long cmd_op$offset() {
        return OFFSET_cmd_op;
    }

    // cmd_op shares storage with another member of a C union; no layout member of its own.

    public static int cmd_op(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_cmd_op);
    }

    public static void cmd_op(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_cmd_op, fieldValue);
    }

    public static final long OFFSET_splice_off_in = 16;

    public static long splice_off_in$offset() {
        return OFFSET_splice_off_in;
    }

    // splice_off_in shares storage with another member of a C union; no layout member of its own.

    public static long splice_off_in(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_splice_off_in);
    }

    public static void splice_off_in(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_splice_off_in, fieldValue);
    }

    public static final long OFFSET_fsync_flags = 28;

    public static long fsync_flags$offset() {
        return OFFSET_fsync_flags;
    }

    // fsync_flags shares storage with another member of a C union; no layout member of its own.

    public static int fsync_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_fsync_flags);
    }

    public static void fsync_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_fsync_flags, fieldValue);
    }

    public static final long OFFSET_poll32_events = 28;

    public static long poll32_events$offset() {
        return OFFSET_poll32_events;
    }

    // poll32_events shares storage with another member of a C union; no layout member of its own.

    public static int poll32_events(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_poll32_events);
    }

    public static void poll32_events(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_poll32_events, fieldValue);
    }

    public static final long OFFSET_sync_range_flags = 28;

    public static long sync_range_flags$offset() {
        return OFFSET_sync_range_flags;
    }

    // sync_range_flags shares storage with another member of a C union; no layout member of its own.

    public static int sync_range_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_sync_range_flags);
    }

    public static void sync_range_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_sync_range_flags, fieldValue);
    }

    public static final long OFFSET_msg_flags = 28;

    public static long msg_flags$offset() {
        return OFFSET_msg_flags;
    }

    // msg_flags shares storage with another member of a C union; no layout member of its own.

    public static int msg_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_msg_flags);
    }

    public static void msg_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_msg_flags, fieldValue);
    }

    public static final long OFFSET_timeout_flags = 28;

    public static long timeout_flags$offset() {
        return OFFSET_timeout_flags;
    }

    // timeout_flags shares storage with another member of a C union; no layout member of its own.

    public static int timeout_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_timeout_flags);
    }

    public static void timeout_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_timeout_flags, fieldValue);
    }

    public static final long OFFSET_accept_flags = 28;

    public static long accept_flags$offset() {
        return OFFSET_accept_flags;
    }

    // accept_flags shares storage with another member of a C union; no layout member of its own.

    public static int accept_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_accept_flags);
    }

    public static void accept_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_accept_flags, fieldValue);
    }

    public static final long OFFSET_cancel_flags = 28;

    public static long cancel_flags$offset() {
        return OFFSET_cancel_flags;
    }

    // cancel_flags shares storage with another member of a C union; no layout member of its own.

    public static int cancel_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_cancel_flags);
    }

    public static void cancel_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_cancel_flags, fieldValue);
    }

    public static final long OFFSET_open_flags = 28;

    public static long open_flags$offset() {
        return OFFSET_open_flags;
    }

    // open_flags shares storage with another member of a C union; no layout member of its own.

    public static int open_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_open_flags);
    }

    public static void open_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_open_flags, fieldValue);
    }

    public static final long OFFSET_statx_flags = 28;

    public static long statx_flags$offset() {
        return OFFSET_statx_flags;
    }

    // statx_flags shares storage with another member of a C union; no layout member of its own.

    public static int statx_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_statx_flags);
    }

    public static void statx_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_statx_flags, fieldValue);
    }

    public static final long OFFSET_fadvise_advice = 28;

    public static long fadvise_advice$offset() {
        return OFFSET_fadvise_advice;
    }

    // fadvise_advice shares storage with another member of a C union; no layout member of its own.

    public static int fadvise_advice(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_fadvise_advice);
    }

    public static void fadvise_advice(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_fadvise_advice, fieldValue);
    }

    public static final long OFFSET_splice_flags = 28;

    public static long splice_flags$offset() {
        return OFFSET_splice_flags;
    }

    // splice_flags shares storage with another member of a C union; no layout member of its own.

    public static int splice_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_splice_flags);
    }

    public static void splice_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_splice_flags, fieldValue);
    }

    public static final long OFFSET_rename_flags = 28;

    public static long rename_flags$offset() {
        return OFFSET_rename_flags;
    }

    // rename_flags shares storage with another member of a C union; no layout member of its own.

    public static int rename_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_rename_flags);
    }

    public static void rename_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_rename_flags, fieldValue);
    }

    public static final long OFFSET_unlink_flags = 28;

    public static long unlink_flags$offset() {
        return OFFSET_unlink_flags;
    }

    // unlink_flags shares storage with another member of a C union; no layout member of its own.

    public static int unlink_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_unlink_flags);
    }

    public static void unlink_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_unlink_flags, fieldValue);
    }

    public static final long OFFSET_hardlink_flags = 28;

    public static long hardlink_flags$offset() {
        return OFFSET_hardlink_flags;
    }

    // hardlink_flags shares storage with another member of a C union; no layout member of its own.

    public static int hardlink_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_hardlink_flags);
    }

    public static void hardlink_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_hardlink_flags, fieldValue);
    }

    public static final long OFFSET_xattr_flags = 28;

    public static long xattr_flags$offset() {
        return OFFSET_xattr_flags;
    }

    // xattr_flags shares storage with another member of a C union; no layout member of its own.

    public static int xattr_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_xattr_flags);
    }

    public static void xattr_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_xattr_flags, fieldValue);
    }

    public static final long OFFSET_msg_ring_flags = 28;

    public static long msg_ring_flags$offset() {
        return OFFSET_msg_ring_flags;
    }

    // msg_ring_flags shares storage with another member of a C union; no layout member of its own.

    public static int msg_ring_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_msg_ring_flags);
    }

    public static void msg_ring_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_msg_ring_flags, fieldValue);
    }

    public static final long OFFSET_uring_cmd_flags = 28;

    public static long uring_cmd_flags$offset() {
        return OFFSET_uring_cmd_flags;
    }

    // uring_cmd_flags shares storage with another member of a C union; no layout member of its own.

    public static int uring_cmd_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_uring_cmd_flags);
    }

    public static void uring_cmd_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_uring_cmd_flags, fieldValue);
    }

    public static final long OFFSET_poll_events = 28;

    public static long poll_events$offset() {
        return OFFSET_poll_events;
    }

    // poll_events shares storage with another member of a C union; no layout member of its own.

    public static short poll_events(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_poll_events);
    }

    public static void poll_events(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_poll_events, fieldValue);
    }

    public static final long OFFSET_buf_group = 40;

    public static long buf_group$offset() {
        return OFFSET_buf_group;
    }

    // buf_group shares storage with another member of a C union; no layout member of its own.

    public static short buf_group(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_buf_group);
    }

    public static void buf_group(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_buf_group, fieldValue);
    }

    public static final long OFFSET_file_index = 44;

    public static long file_index$offset() {
        return OFFSET_file_index;
    }

    // file_index shares storage with another member of a C union; no layout member of its own.

    public static int file_index(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_file_index);
    }

    public static void file_index(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_file_index, fieldValue);
    }

    public static final long OFFSET_addr_len = 44;

    public static long addr_len$offset() {
        return OFFSET_addr_len;
    }

    // addr_len shares storage with another member of a C union; no layout member of its own.

    public static short addr_len(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_addr_len);
    }

    public static void addr_len(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_addr_len, fieldValue);
    }

    public static final long OFFSET_cmd = 48;

    public static long cmd$offset() {
        return OFFSET_cmd;
    }

    /** Flexible array member {@code cmd[]}: a slice of {@code struct} from its offset to its end (reinterpret as needed). */
    public static MemorySegment cmd(MemorySegment struct) {
        return struct.asSlice(OFFSET_cmd);
    }
}
