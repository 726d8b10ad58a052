// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;


import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Constants of the kernel UAPI header {@code <linux/io_uring.h>}.
 *
 * <p>Taken from the header installed here: linux-libc-dev 6.1.187 (UAPI of Linux 6.1), which is a
 * superset of the copy in liburing 2.3 ({@code <liburing/io_uring.h>}). AbiTest includes the kernel
 * header first, so both agree by construction. The {@code IORING_OP_*} values are the
 * {@code enum io_uring_op} of Linux 6.1 (ends with {@code IORING_OP_SENDMSG_ZC}).
 *
 * <p>A few names newer than the 6.1 header are declared below by hand with their kernel version;
 * AbiTest checks them only when the installed header has them. Whether the running kernel
 * supports any flag or opcode is a runtime question (IORING_REGISTER_PROBE, EINVAL from setup).
 */
@SuppressWarnings("unused")
public final class io_uring_h {
    private io_uring_h() {}

    public static final int IORING_FILE_INDEX_ALLOC = -1;
    public static final int IOSQE_FIXED_FILE_BIT = 0;
    public static final int IOSQE_IO_DRAIN_BIT = 1;
    public static final int IOSQE_IO_LINK_BIT = 2;
    public static final int IOSQE_IO_HARDLINK_BIT = 3;
    public static final int IOSQE_ASYNC_BIT = 4;
    public static final int IOSQE_BUFFER_SELECT_BIT = 5;
    public static final int IOSQE_CQE_SKIP_SUCCESS_BIT = 6;
    public static final int IOSQE_FIXED_FILE = 1;
    public static final int IOSQE_IO_DRAIN = 2;
    public static final int IOSQE_IO_LINK = 4;
    public static final int IOSQE_IO_HARDLINK = 8;
    public static final int IOSQE_ASYNC = 16;
    public static final int IOSQE_BUFFER_SELECT = 32;
    public static final int IOSQE_CQE_SKIP_SUCCESS = 64;
    public static final int IORING_SETUP_IOPOLL = 1;
    public static final int IORING_SETUP_SQPOLL = 2;
    public static final int IORING_SETUP_SQ_AFF = 4;
    public static final int IORING_SETUP_CQSIZE = 8;
    public static final int IORING_SETUP_CLAMP = 16;
    public static final int IORING_SETUP_ATTACH_WQ = 32;
    public static final int IORING_SETUP_R_DISABLED = 64;
    public static final int IORING_SETUP_SUBMIT_ALL = 128;
    public static final int IORING_SETUP_COOP_TASKRUN = 0x100;
    public static final int IORING_SETUP_TASKRUN_FLAG = 0x200;
    public static final int IORING_SETUP_SQE128 = 0x400;
    public static final int IORING_SETUP_CQE32 = 0x800;
    public static final int IORING_SETUP_SINGLE_ISSUER = 0x1000;
    public static final int IORING_SETUP_DEFER_TASKRUN = 0x2000;
    public static final int IORING_OP_NOP = 0;
    public static final int IORING_OP_READV = 1;
    public static final int IORING_OP_WRITEV = 2;
    public static final int IORING_OP_FSYNC = 3;
    public static final int IORING_OP_READ_FIXED = 4;
    public static final int IORING_OP_WRITE_FIXED = 5;
    public static final int IORING_OP_POLL_ADD = 6;
    public static final int IORING_OP_POLL_REMOVE = 7;
    public static final int IORING_OP_SYNC_FILE_RANGE = 8;
    public static final int IORING_OP_SENDMSG = 9;
    public static final int IORING_OP_RECVMSG = 10;
    public static final int IORING_OP_TIMEOUT = 11;
    public static final int IORING_OP_TIMEOUT_REMOVE = 12;
    public static final int IORING_OP_ACCEPT = 13;
    public static final int IORING_OP_ASYNC_CANCEL = 14;
    public static final int IORING_OP_LINK_TIMEOUT = 15;
    public static final int IORING_OP_CONNECT = 16;
    public static final int IORING_OP_FALLOCATE = 17;
    public static final int IORING_OP_OPENAT = 18;
    public static final int IORING_OP_CLOSE = 19;
    public static final int IORING_OP_FILES_UPDATE = 20;
    public static final int IORING_OP_STATX = 21;
    public static final int IORING_OP_READ = 22;
    public static final int IORING_OP_WRITE = 23;
    public static final int IORING_OP_FADVISE = 24;
    public static final int IORING_OP_MADVISE = 25;
    public static final int IORING_OP_SEND = 26;
    public static final int IORING_OP_RECV = 27;
    public static final int IORING_OP_OPENAT2 = 28;
    public static final int IORING_OP_EPOLL_CTL = 29;
    public static final int IORING_OP_SPLICE = 30;
    public static final int IORING_OP_PROVIDE_BUFFERS = 31;
    public static final int IORING_OP_REMOVE_BUFFERS = 32;
    public static final int IORING_OP_TEE = 33;
    public static final int IORING_OP_SHUTDOWN = 34;
    public static final int IORING_OP_RENAMEAT = 35;
    public static final int IORING_OP_UNLINKAT = 36;
    public static final int IORING_OP_MKDIRAT = 37;
    public static final int IORING_OP_SYMLINKAT = 38;
    public static final int IORING_OP_LINKAT = 39;
    public static final int IORING_OP_MSG_RING = 40;
    public static final int IORING_OP_FSETXATTR = 41;
    public static final int IORING_OP_SETXATTR = 42;
    public static final int IORING_OP_FGETXATTR = 43;
    public static final int IORING_OP_GETXATTR = 44;
    public static final int IORING_OP_SOCKET = 45;
    public static final int IORING_OP_URING_CMD = 46;
    public static final int IORING_OP_SEND_ZC = 47;
    public static final int IORING_OP_SENDMSG_ZC = 48;
    public static final int IORING_OP_LAST = 49;
    public static final int IORING_URING_CMD_FIXED = 1;
    public static final int IORING_FSYNC_DATASYNC = 1;
    public static final int IORING_TIMEOUT_ABS = 1;
    public static final int IORING_TIMEOUT_UPDATE = 2;
    public static final int IORING_TIMEOUT_BOOTTIME = 4;
    public static final int IORING_TIMEOUT_REALTIME = 8;
    public static final int IORING_LINK_TIMEOUT_UPDATE = 16;
    public static final int IORING_TIMEOUT_ETIME_SUCCESS = 32;
    public static final int IORING_TIMEOUT_CLOCK_MASK = 12;
    public static final int IORING_TIMEOUT_UPDATE_MASK = 18;
    public static final int IORING_POLL_ADD_MULTI = 1;
    public static final int IORING_POLL_UPDATE_EVENTS = 2;
    public static final int IORING_POLL_UPDATE_USER_DATA = 4;
    public static final int IORING_POLL_ADD_LEVEL = 8;
    public static final int IORING_ASYNC_CANCEL_ALL = 1;
    public static final int IORING_ASYNC_CANCEL_FD = 2;
    public static final int IORING_ASYNC_CANCEL_ANY = 4;
    public static final int IORING_ASYNC_CANCEL_FD_FIXED = 8;
    public static final int IORING_ASYNC_CANCEL_USERDATA = 16;
    public static final int IORING_ASYNC_CANCEL_OP = 32;
    public static final int IORING_RECVSEND_POLL_FIRST = 1;
    public static final int IORING_RECV_MULTISHOT = 2;
    public static final int IORING_RECVSEND_FIXED_BUF = 4;
    public static final int IORING_SEND_ZC_REPORT_USAGE = 8;
    public static final int IORING_NOTIF_USAGE_ZC_COPIED = 0x80000000;
    public static final int IORING_ACCEPT_MULTISHOT = 1;
    public static final int IORING_MSG_DATA = 0;
    public static final int IORING_MSG_SEND_FD = 1;
    public static final int IORING_MSG_RING_CQE_SKIP = 1;
    public static final int IORING_CQE_F_BUFFER = 1;
    public static final int IORING_CQE_F_MORE = 2;
    public static final int IORING_CQE_F_SOCK_NONEMPTY = 4;
    public static final int IORING_CQE_F_NOTIF = 8;
    public static final int IORING_CQE_BUFFER_SHIFT = 16;
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;
    public static final long IORING_OFF_MMAP_MASK = 0xf8000000L;
    public static final int IORING_SQ_NEED_WAKEUP = 1;
    public static final int IORING_SQ_CQ_OVERFLOW = 2;
    public static final int IORING_SQ_TASKRUN = 4;
    public static final int IORING_CQ_EVENTFD_DISABLED = 1;
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_ENTER_SQ_WAKEUP = 2;
    public static final int IORING_ENTER_SQ_WAIT = 4;
    public static final int IORING_ENTER_EXT_ARG = 8;
    public static final int IORING_ENTER_REGISTERED_RING = 16;
    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    public static final int IORING_FEAT_NODROP = 2;
    public static final int IORING_FEAT_SUBMIT_STABLE = 4;
    public static final int IORING_FEAT_RW_CUR_POS = 8;
    public static final int IORING_FEAT_CUR_PERSONALITY = 16;
    public static final int IORING_FEAT_FAST_POLL = 32;
    public static final int IORING_FEAT_POLL_32BITS = 64;
    public static final int IORING_FEAT_SQPOLL_NONFIXED = 128;
    public static final int IORING_FEAT_EXT_ARG = 0x100;
    public static final int IORING_FEAT_NATIVE_WORKERS = 0x200;
    public static final int IORING_FEAT_RSRC_TAGS = 0x400;
    public static final int IORING_FEAT_CQE_SKIP = 0x800;
    public static final int IORING_FEAT_LINKED_FILE = 0x1000;
    public static final int IORING_REGISTER_BUFFERS = 0;
    public static final int IORING_UNREGISTER_BUFFERS = 1;
    public static final int IORING_REGISTER_FILES = 2;
    public static final int IORING_UNREGISTER_FILES = 3;
    public static final int IORING_REGISTER_EVENTFD = 4;
    public static final int IORING_UNREGISTER_EVENTFD = 5;
    public static final int IORING_REGISTER_FILES_UPDATE = 6;
    public static final int IORING_REGISTER_EVENTFD_ASYNC = 7;
    public static final int IORING_REGISTER_PROBE = 8;
    public static final int IORING_REGISTER_PERSONALITY = 9;
    public static final int IORING_UNREGISTER_PERSONALITY = 10;
    public static final int IORING_REGISTER_RESTRICTIONS = 11;
    public static final int IORING_REGISTER_ENABLE_RINGS = 12;
    public static final int IORING_REGISTER_FILES2 = 13;
    public static final int IORING_REGISTER_FILES_UPDATE2 = 14;
    public static final int IORING_REGISTER_BUFFERS2 = 15;
    public static final int IORING_REGISTER_BUFFERS_UPDATE = 16;
    public static final int IORING_REGISTER_IOWQ_AFF = 17;
    public static final int IORING_UNREGISTER_IOWQ_AFF = 18;
    public static final int IORING_REGISTER_IOWQ_MAX_WORKERS = 19;
    public static final int IORING_REGISTER_RING_FDS = 20;
    public static final int IORING_UNREGISTER_RING_FDS = 21;
    public static final int IORING_REGISTER_PBUF_RING = 22;
    public static final int IORING_UNREGISTER_PBUF_RING = 23;
    public static final int IORING_REGISTER_SYNC_CANCEL = 24;
    public static final int IORING_REGISTER_FILE_ALLOC_RANGE = 25;
    public static final int IORING_REGISTER_LAST = 26;
    public static final int IO_WQ_BOUND = 0;
    public static final int IO_WQ_UNBOUND = 1;
    public static final int IORING_RSRC_REGISTER_SPARSE = 1;
    public static final int IORING_REGISTER_FILES_SKIP = -2;
    public static final int IO_URING_OP_SUPPORTED = 1;
    public static final int IORING_RESTRICTION_REGISTER_OP = 0;
    public static final int IORING_RESTRICTION_SQE_OP = 1;
    public static final int IORING_RESTRICTION_SQE_FLAGS_ALLOWED = 2;
    public static final int IORING_RESTRICTION_SQE_FLAGS_REQUIRED = 3;
    public static final int IORING_RESTRICTION_LAST = 4;
    public static final int SPLICE_F_FD_IN_FIXED = 0x80000000;

    // Newer than the installed 6.1 UAPI header; values from the kernel's include/uapi/linux/io_uring.h.
    /** Linux 6.4: multishot timeout (sqe->timeout_flags). */
    public static final int IORING_TIMEOUT_MULTISHOT = 0x40;
    /** Linux 6.5: application provides the ring memory (io_uring_setup). */
    public static final int IORING_SETUP_NO_MMAP = 0x4000;
    /** Linux 6.5: the ring fd is only usable as a registered index. */
    public static final int IORING_SETUP_REGISTERED_FD_ONLY = 0x8000;
    /** Linux 6.6: no SQ index array; SQEs are consumed in ring order. */
    public static final int IORING_SETUP_NO_SQARRAY = 0x10000;
    /** Linux 6.10 (newer than the installed headers): IORING_OP_NOP posts {@code sqe->len} as its result (nop_flags). */
    public static final int IORING_NOP_INJECT_RESULT = 1;
}
