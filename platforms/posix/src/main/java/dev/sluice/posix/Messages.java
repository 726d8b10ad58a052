package dev.sluice.posix;

import static dev.sluice.bindings.linux.socket_h.CMSG_ALIGN;
import static dev.sluice.bindings.linux.socket_h.CMSG_LEN;
import static dev.sluice.bindings.linux.socket_h.CMSG_SPACE;
import static dev.sluice.bindings.linux.socket_h.MSG_CMSG_CLOEXEC;
import static dev.sluice.bindings.linux.socket_h.MSG_CTRUNC;
import static dev.sluice.bindings.linux.socket_h.MSG_NOSIGNAL;
import static dev.sluice.bindings.linux.socket_h.MSG_TRUNC;
import static dev.sluice.bindings.linux.socket_h.SCM_RIGHTS;
import static dev.sluice.bindings.linux.socket_h.SOL_SOCKET;

import dev.sluice.Address;
import dev.sluice.Op;
import dev.sluice.bindings.linux.cmsghdr;
import dev.sluice.bindings.linux.iovec;
import dev.sluice.bindings.linux.msghdr;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.spi.Operation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * msghdr-based operations (SENDMSG, RECVMSG, SENDTO, RECVFROM, SEND_FDS, RECV_FDS), laid out in a
 * caller-provided scratch segment that must stay put until the operation completes, and decoded
 * after it. Shared by every Linux backend: io_uring hands the msghdr to IORING_OP_SENDMSG and
 * RECVMSG, readiness backends to sendmsg(2) and recvmsg(2).
 *
 * <pre>
 * scratch: | msghdr (56) | iovec × n (16 each) | sockaddr_storage (128) | control: CMSG_SPACE(4 × fds) |
 * </pre>
 */
public final class Messages {
    private static final long IOV_AT = msghdr.sizeof();
    private static final long IOV_BYTES = iovec.sizeof();

    private Messages() {
    }

    /** True for operations that go through a msghdr. */
    public static boolean usesMsghdr(Op op) {
        return switch (op) {
            case SENDMSG, RECVMSG, SENDTO, RECVFROM, SEND_FDS, RECV_FDS -> true;
            default -> false;
        };
    }

    /** True for the receiving ones. */
    public static boolean receives(Op op) {
        return op == Op.RECVMSG || op == Op.RECVFROM || op == Op.RECV_FDS;
    }

    private static int iovCount(Operation op) {
        return op.buffers() != null ? op.buffers().length : 1;
    }

    private static long controlBytes(Operation op) {
        return op.fds() != null ? CMSG_SPACE(4L * op.fds().length) : 0;
    }

    private static long nameAt(Operation op) {
        return IOV_AT + IOV_BYTES * iovCount(op);
    }

    private static long controlAt(Operation op) {
        return nameAt(op) + Sockaddrs.STORAGE_BYTES;
    }

    /** Scratch bytes the operation needs (a multiple of 8). */
    public static long scratchBytes(Operation op) {
        return CMSG_ALIGN(controlAt(op) + controlBytes(op));
    }

    /** Flags for sendmsg/recvmsg: no SIGPIPE on sends, close-on-exec on received fds. */
    public static int flags(Operation op) {
        return receives(op.op()) ? (op.op() == Op.RECV_FDS ? MSG_CMSG_CLOEXEC : 0) : MSG_NOSIGNAL;
    }

    /** Lays out the msghdr for {@code op} in {@code scratch} and returns it. */
    public static MemorySegment prepare(Operation op, MemorySegment scratch) {
        long need = scratchBytes(op);
        if (scratch.byteSize() < need) throw new AssertionError("scratch of " + scratch.byteSize() + " bytes, " + op.op() + " needs " + need);
        MemorySegment msg = scratch.asSlice(0, msghdr.sizeof());
        msg.fill((byte) 0);
        MemorySegment iov = scratch.asSlice(IOV_AT, IOV_BYTES * iovCount(op));
        if (op.buffers() != null) {
            MemorySegment[] bufs = op.buffers();
            for (int i = 0; i < bufs.length; i++) {
                MemorySegment one = iov.asSlice(i * IOV_BYTES, IOV_BYTES);
                iovec.iov_base(one, bufs[i]);
                iovec.iov_len(one, bufs[i].byteSize());
            }
        } else {
            iov.set(ValueLayout.JAVA_LONG, iovec.OFFSET_iov_base, op.bufferAddress());
            iovec.iov_len(iov, op.bufferLength());
        }
        msghdr.msg_iov(msg, iov);
        msghdr.msg_iovlen(msg, iovCount(op));
        MemorySegment name = scratch.asSlice(nameAt(op), Sockaddrs.STORAGE_BYTES);
        if (receives(op.op())) {
            msghdr.msg_name(msg, name);
            msghdr.msg_namelen(msg, Sockaddrs.STORAGE_BYTES);
        } else if (op.address() != null) {
            msghdr.msg_name(msg, name);
            msghdr.msg_namelen(msg, Sockaddrs.encode(op.address(), name));
        }
        long control = controlBytes(op);
        if (control > 0) {
            MemorySegment cmsg = scratch.asSlice(controlAt(op), control);
            cmsg.fill((byte) 0);
            msghdr.msg_control(msg, cmsg);
            msghdr.msg_controllen(msg, control);
            if (op.op() == Op.SEND_FDS) {
                int[] fds = op.fds();
                cmsghdr.cmsg_len(cmsg, CMSG_LEN(4L * fds.length));
                cmsghdr.cmsg_level(cmsg, SOL_SOCKET);
                cmsghdr.cmsg_type(cmsg, SCM_RIGHTS);
                MemorySegment data = cmsg.asSlice(CMSG_ALIGN(cmsghdr.sizeof()));
                for (int i = 0; i < fds.length; i++) data.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, fds[i]);
            }
        }
        return msg;
    }

    /**
     * Completes {@code op} after the kernel returned {@code bytes} (>= 0) for it: sends report the
     * byte count; receives also report the sender, flags and fds, closing fds that did not fit so
     * none leak. {@code errnoState} is the caller's capture buffer, for close(2).
     */
    public static void complete(Operation op, MemorySegment scratch, int bytes, MemorySegment errnoState) {
        if (!receives(op.op())) {
            op.complete(bytes);
            return;
        }
        MemorySegment msg = scratch.asSlice(0, msghdr.sizeof());
        int msgFlags = msghdr.msg_flags(msg);
        int flags = 0;
        if ((msgFlags & MSG_TRUNC) != 0) flags |= Operation.FLAG_TRUNCATED;
        if ((msgFlags & MSG_CTRUNC) != 0) flags |= Operation.FLAG_CONTROL_TRUNCATED;
        int nameLen = msghdr.msg_namelen(msg);
        Address from = null;
        if (nameLen > 2 && op.socket() != null && !op.socket().type().isStream()) {
            try {
                from = Sockaddrs.decode(scratch.asSlice(nameAt(op), Sockaddrs.STORAGE_BYTES), nameLen);
            } catch (IllegalArgumentException unrepresentable) {
                // A Unix peer name we cannot hold (108 bytes without NUL, or not UTF-8): deliver the
                // data without a sender rather than fail the receive and stall the socket.
                from = null;
            }
        }
        int received = 0;
        if (op.op() == Op.RECV_FDS) {
            long controlLen = msghdr.msg_controllen(msg);
            MemorySegment control = scratch.asSlice(controlAt(op), controlBytes(op));
            int[] out = op.fds();
            long at = 0;
            long header = CMSG_ALIGN(cmsghdr.sizeof());
            // The kernel reports at most the control bytes it was given; clamp anyway, because a
            // throw here would leave the operation uncompleted and the received fds leaked.
            long end = controlLen < 0 || controlLen > control.byteSize() ? control.byteSize() : controlLen;
            while (at + cmsghdr.sizeof() <= end) {
                MemorySegment cmsg = control.asSlice(at);
                long len = cmsghdr.cmsg_len(cmsg);
                if (len < header) break;
                if (cmsghdr.cmsg_level(cmsg) == SOL_SOCKET && cmsghdr.cmsg_type(cmsg) == SCM_RIGHTS) {
                    int n = (int) ((Math.min(len, end - at) - header) / 4);
                    for (int i = 0; i < n; i++) {
                        int fd = cmsg.get(ValueLayout.JAVA_INT_UNALIGNED, header + 4L * i);
                        if (received < out.length) {
                            out[received++] = fd;
                        } else {
                            unistd_h.close(errnoState, fd);
                            flags |= Operation.FLAG_CONTROL_TRUNCATED;
                        }
                    }
                }
                // A message running past the end is the last one (as CMSG_NXTHDR decides); this
                // also keeps CMSG_ALIGN of a huge length from overflowing.
                if (len > end - at) break;
                at += CMSG_ALIGN(len);
            }
        }
        op.completeReceive(bytes, from, received, flags);
    }
}
