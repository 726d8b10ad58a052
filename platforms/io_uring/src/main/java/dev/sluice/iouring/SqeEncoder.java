package dev.sluice.iouring;

import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_ASYNC_CANCEL;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_ACCEPT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_CONNECT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_LINK_TIMEOUT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_NOP;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_POLL_ADD;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_READ;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_RECV;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_RECVMSG;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_SEND;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_SENDMSG;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_SHUTDOWN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_SPLICE;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_TIMEOUT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_ASYNC_CANCEL_FD;
import static dev.sluice.bindings.linux.io_uring_h.IOSQE_FIXED_FILE;
import static dev.sluice.bindings.linux.io_uring_h.IOSQE_IO_LINK;
import static dev.sluice.bindings.linux.io_uring_h.IOSQE_BUFFER_SELECT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_ACCEPT_MULTISHOT;
import static dev.sluice.bindings.linux.io_uring_h.IORING_RECV_MULTISHOT;

import dev.sluice.bindings.linux.io_uring_sqe;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes SQEs: one method per {@code io_uring_prep_*} helper of liburing 2.3
 * ({@code src/include/liburing.h}), producing the same 64 bytes, which {@code SqeEncoderTest}
 * checks against liburing compiled at test time. Pure: no ring, no syscalls, no allocation; each
 * method writes every byte of the entry at {@code at} in {@code sqes} (the kernel's SQE array or
 * any 64-byte segment), so stale contents of a reused entry never leak into a request.
 *
 * <p>Pointers are passed as addresses ({@code long}): the caller keeps the memory alive until the
 * operation's final CQE, as the kernel may read or write it until then.
 */
final class SqeEncoder {
    static final long SQE_BYTES = io_uring_sqe.SIZEOF;

    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;

    private SqeEncoder() {
    }

    /**
     * io_uring_prep_rw: the common fields, everything else zero, plus {@code user_data}
     * (io_uring_sqe_set_data64). {@code opFlags} is the per-opcode union at offset 28
     * (msg_flags, timeout_flags, accept_flags, cancel_flags, ...).
     */
    static void rw(MemorySegment sqes, long at, int opcode, int fd, long addr, int len, long off, int opFlags, long userData) {
        sqes.set(U8, at + io_uring_sqe.OFFSET_opcode, (byte) opcode);
        sqes.set(U8, at + io_uring_sqe.OFFSET_flags, (byte) 0);
        sqes.set(U16, at + io_uring_sqe.OFFSET_ioprio, (short) 0);
        sqes.set(U32, at + io_uring_sqe.OFFSET_fd, fd);
        sqes.set(U64, at + io_uring_sqe.OFFSET_off, off);
        sqes.set(U64, at + io_uring_sqe.OFFSET_addr, addr);
        sqes.set(U32, at + io_uring_sqe.OFFSET_len, len);
        sqes.set(U32, at + io_uring_sqe.OFFSET_rw_flags, opFlags);
        sqes.set(U64, at + io_uring_sqe.OFFSET_user_data, userData);
        sqes.set(U16, at + io_uring_sqe.OFFSET_buf_index, (short) 0);
        sqes.set(U16, at + io_uring_sqe.OFFSET_personality, (short) 0);
        sqes.set(U32, at + io_uring_sqe.OFFSET_splice_fd_in, 0);
        sqes.set(U64, at + io_uring_sqe.OFFSET_addr3, 0L);
        sqes.set(U64, at + io_uring_sqe.OFFSET___pad2, 0L);
    }

    /** Sets IOSQE_IO_LINK: the next SQE (a LINK_TIMEOUT here) starts only with this one and bounds it. */
    static void link(MemorySegment sqes, long at) {
        byte flags = sqes.get(U8, at + io_uring_sqe.OFFSET_flags);
        sqes.set(U8, at + io_uring_sqe.OFFSET_flags, (byte) (flags | IOSQE_IO_LINK));
    }

    /**
     * Makes the request name its file by registered-file index: {@code fd} becomes {@code index}
     * and IOSQE_FIXED_FILE is set (liburing: prep with the index as fd, then
     * {@code sqe->flags |= IOSQE_FIXED_FILE}).
     */
    static void fixedFile(MemorySegment sqes, long at, int index) {
        sqes.set(U32, at + io_uring_sqe.OFFSET_fd, index);
        byte flags = sqes.get(U8, at + io_uring_sqe.OFFSET_flags);
        sqes.set(U8, at + io_uring_sqe.OFFSET_flags, (byte) (flags | IOSQE_FIXED_FILE));
    }

    /** io_uring_prep_nop. */
    static void nop(MemorySegment sqes, long at, long userData) {
        rw(sqes, at, IORING_OP_NOP, -1, 0, 0, 0, 0, userData);
    }

    /** io_uring_prep_accept: {@code addr}/{@code addrLenPtr} may be 0 when the peer is not wanted. */
    static void accept(MemorySegment sqes, long at, int fd, long addr, long addrLenPtr, int flags, long userData) {
        rw(sqes, at, IORING_OP_ACCEPT, fd, addr, 0, addrLenPtr, flags, userData);
    }

    /**
     * io_uring_prep_multishot_accept (liburing 2.2, Linux 5.19): an accept whose request stays
     * armed, posting one CQE with IORING_CQE_F_MORE per connection. The flag travels in ioprio.
     */
    static void acceptMultishot(MemorySegment sqes, long at, int fd, int flags, long userData) {
        rw(sqes, at, IORING_OP_ACCEPT, fd, 0, 0, 0, flags, userData);
        sqes.set(U16, at + io_uring_sqe.OFFSET_ioprio, (short) IORING_ACCEPT_MULTISHOT);
    }

    /**
     * io_uring_prep_recv_multishot (liburing 2.3, Linux 6.0) with IOSQE_BUFFER_SELECT from buffer
     * group {@code group}: no buffer in the SQE (addr 0, len 0); each CQE names the buffer the
     * kernel picked (IORING_CQE_F_BUFFER, id in the upper 16 bits of cqe.flags).
     */
    static void recvMultishot(MemorySegment sqes, long at, int fd, int group, int msgFlags, long userData) {
        rw(sqes, at, IORING_OP_RECV, fd, 0, 0, 0, msgFlags, userData);
        sqes.set(U16, at + io_uring_sqe.OFFSET_ioprio, (short) IORING_RECV_MULTISHOT);
        sqes.set(U8, at + io_uring_sqe.OFFSET_flags, (byte) IOSQE_BUFFER_SELECT);
        sqes.set(U16, at + io_uring_sqe.OFFSET_buf_group, (short) group);
    }

    /** io_uring_prep_connect: note the sockaddr length travels in {@code off}. */
    static void connect(MemorySegment sqes, long at, int fd, long addr, int addrLen, long userData) {
        rw(sqes, at, IORING_OP_CONNECT, fd, addr, 0, Integer.toUnsignedLong(addrLen), 0, userData);
    }

    /** io_uring_prep_send. */
    static void send(MemorySegment sqes, long at, int fd, long buf, int len, int msgFlags, long userData) {
        rw(sqes, at, IORING_OP_SEND, fd, buf, len, 0, msgFlags, userData);
    }

    /** io_uring_prep_recv. */
    static void recv(MemorySegment sqes, long at, int fd, long buf, int len, int msgFlags, long userData) {
        rw(sqes, at, IORING_OP_RECV, fd, buf, len, 0, msgFlags, userData);
    }

    /** io_uring_prep_sendmsg: {@code len} is 1 (one msghdr). */
    static void sendmsg(MemorySegment sqes, long at, int fd, long msghdr, int msgFlags, long userData) {
        rw(sqes, at, IORING_OP_SENDMSG, fd, msghdr, 1, 0, msgFlags, userData);
    }

    /** io_uring_prep_recvmsg. */
    static void recvmsg(MemorySegment sqes, long at, int fd, long msghdr, int msgFlags, long userData) {
        rw(sqes, at, IORING_OP_RECVMSG, fd, msghdr, 1, 0, msgFlags, userData);
    }

    /** io_uring_prep_timeout: {@code count} 0 makes it a pure timer that ends with -ETIME. */
    static void timeout(MemorySegment sqes, long at, long timespec, int count, int flags, long userData) {
        rw(sqes, at, IORING_OP_TIMEOUT, -1, timespec, 1, Integer.toUnsignedLong(count), flags, userData);
    }

    /** io_uring_prep_link_timeout: must directly follow an SQE carrying IOSQE_IO_LINK. */
    static void linkTimeout(MemorySegment sqes, long at, long timespec, int flags, long userData) {
        rw(sqes, at, IORING_OP_LINK_TIMEOUT, -1, timespec, 1, 0, flags, userData);
    }

    /** io_uring_prep_cancel64: cancels the request whose user_data is {@code target}. */
    static void cancel64(MemorySegment sqes, long at, long target, int flags, long userData) {
        rw(sqes, at, IORING_OP_ASYNC_CANCEL, -1, target, 0, 0, flags, userData);
    }

    /** io_uring_prep_cancel_fd (Linux 5.19): cancels requests on {@code fd}; IORING_ASYNC_CANCEL_FD is added. */
    static void cancelFd(MemorySegment sqes, long at, int fd, int flags, long userData) {
        rw(sqes, at, IORING_OP_ASYNC_CANCEL, fd, 0, 0, 0, flags | IORING_ASYNC_CANCEL_FD, userData);
    }

    /** io_uring_prep_shutdown (Linux 5.11): {@code how} travels in {@code len}. */
    static void shutdown(MemorySegment sqes, long at, int fd, int how, long userData) {
        rw(sqes, at, IORING_OP_SHUTDOWN, fd, 0, how, 0, 0, userData);
    }

    /** io_uring_prep_read. */
    static void read(MemorySegment sqes, long at, int fd, long buf, int len, long offset, long userData) {
        rw(sqes, at, IORING_OP_READ, fd, buf, len, offset, 0, userData);
    }

    /**
     * io_uring_prep_splice: {@code fdOut} goes in {@code fd}, {@code fdIn} in {@code splice_fd_in},
     * {@code offIn} in {@code splice_off_in} (the addr field) and {@code offOut} in {@code off};
     * -1 for an end without a file position (pipes, sockets).
     */
    static void splice(MemorySegment sqes, long at, int fdIn, long offIn, int fdOut, long offOut, int len, int spliceFlags, long userData) {
        rw(sqes, at, IORING_OP_SPLICE, fdOut, offIn, len, offOut, spliceFlags, userData);
        sqes.set(U32, at + io_uring_sqe.OFFSET_splice_fd_in, fdIn);
    }

    /** io_uring_prep_poll_add: one-shot; {@code pollMask} (POLLIN, POLLOUT, ...) goes in poll32_events. */
    static void pollAdd(MemorySegment sqes, long at, int fd, int pollMask, long userData) {
        rw(sqes, at, IORING_OP_POLL_ADD, fd, 0, 0, 0, pollMask, userData);
    }
}
