package dev.sluice.posix;

import static dev.sluice.bindings.linux.socket_h.CMSG_ALIGN;
import static dev.sluice.bindings.linux.socket_h.CMSG_LEN;
import static dev.sluice.bindings.linux.socket_h.CMSG_SPACE;
import static dev.sluice.bindings.linux.socket_h.MSG_CTRUNC;
import static dev.sluice.bindings.linux.socket_h.SCM_RIGHTS;
import static dev.sluice.bindings.linux.socket_h.SOL_SOCKET;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.Op;
import dev.sluice.bindings.linux.cmsghdr;
import dev.sluice.bindings.linux.fcntl_h;
import dev.sluice.bindings.linux.iovec;
import dev.sluice.bindings.linux.msghdr;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.spi.Operation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Messages#complete} on RECV_FDS with random control messages: random cmsg headers and
 * lengths and a random {@code msg_controllen}, as a buggy or hostile kernel answer would look.
 * The "received" fds are real (pipe2), so the test can see which ones got closed. Completing
 * must never throw (the operation would never complete), never report more fds than the array
 * holds, hand over exactly the fds of the SCM_RIGHTS messages inside the control area, and close
 * the rest of those, never others.
 */
@Timeout(60)
class MessagesFuzzTest {
    private static final int CASES = 3_000;
    private static final long HEADER = CMSG_ALIGN(cmsghdr.sizeof());

    /** A RECV_FDS operation driven without a ring (like the io_uring module's TestOp). */
    static final class TestOp extends Operation {
        int completions;

        TestOp(MemorySegment data, int[] fdsOut) {
            op = Op.RECV_FDS;
            buffer = data;
            bufferOffset = 0;
            bufferLength = (int) data.byteSize();
            fds = fdsOut;
            sink = o -> completions++;
            state = State.PENDING;
        }

        int result() {
            return result;
        }

        int fdCount() {
            return fdCount;
        }

        int resultFlags() {
            return resultFlags;
        }
    }

    @Test
    void randomControlMessagesNeverLeakOrOverrun() throws Exception {
        Random r = new Random(61);
        MemorySegment errno = ErrnoState.current();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pipefd = arena.allocate(8);
            MemorySegment data = arena.allocate(64);
            for (int i = 0; i < CASES; i++) {
                int[] out = new int[r.nextInt(20) == 0 ? 1 + r.nextInt(253) : 1 + r.nextInt(8)];
                TestOp op = new TestOp(data, out);
                MemorySegment scratch = arena.allocate(Messages.scratchBytes(op), 8);
                MemorySegment msg = Messages.prepare(op, scratch);
                long controlBytes = CMSG_SPACE(4L * out.length);
                long controlAt = msghdr.sizeof() + iovec.sizeof() + Sockaddrs.STORAGE_BYTES;
                assertEquals(scratch.address() + controlAt, msghdr.msg_control(msg).address(), "control area where Messages puts it");
                MemorySegment control = scratch.asSlice(controlAt, controlBytes);

                // Every int of the control area is a distinct fd this test owns; then headers go over some.
                List<Integer> owned = new ArrayList<>();
                for (long at = 0; at + 4 <= controlBytes; at += 4) {
                    if (owned.size() % 2 == 0) {
                        if (unistd_h.pipe2(errno, pipefd, fcntl_h.O_CLOEXEC) != 0) throw new AssertionError("pipe2 failed, errno " + ErrnoState.errno());
                        owned.add(pipefd.get(ValueLayout.JAVA_INT, 0));
                        owned.add(pipefd.get(ValueLayout.JAVA_INT, 4));
                    }
                    control.set(ValueLayout.JAVA_INT_UNALIGNED, at, owned.get((int) (at / 4)));
                }
                long walked = writeHeaders(r, control, controlBytes);
                long controlLen = switch (r.nextInt(6)) {
                    case 0 -> r.nextInt((int) controlBytes + 64);
                    case 1 -> r.nextBoolean() ? Long.MAX_VALUE : -1L;
                    default -> walked;
                };
                msghdr.msg_controllen(msg, controlLen);
                int msgFlags = r.nextInt(4) == 0 ? MSG_CTRUNC : 0;
                msghdr.msg_flags(msg, msgFlags);
                Model expected = model(control, controlBytes, controlLen, out.length);
                String where = "case " + i + ": " + out.length + " fds wanted, control " + controlBytes + " bytes, msg_controllen " + controlLen;

                int bytes = r.nextInt(65);
                try {
                    Messages.complete(op, scratch, bytes, errno);
                } catch (RuntimeException e) {
                    closeQuietly(owned, errno);
                    throw new AssertionError(where + ": complete threw, so the operation never completes: " + e, e);
                }
                try {
                    assertEquals(1, op.completions, where);
                    assertEquals(bytes, op.result(), where);
                    assertTrue(op.fdCount() >= 0 && op.fdCount() <= out.length, where + ": fdCount " + op.fdCount());
                    assertEquals(expected.delivered.size(), op.fdCount(), where + ": fds handed over");
                    for (int k = 0; k < op.fdCount(); k++) {
                        assertEquals(expected.delivered.get(k), out[k], where + ": fd " + k);
                        assertTrue(open(out[k]), where + ": a handed-over fd is closed");
                    }
                    Set<Integer> closedExpected = new HashSet<>(expected.dropped);
                    for (int fd : owned) {
                        if (closedExpected.contains(fd)) assertFalse(open(fd), where + ": fd " + fd + " did not fit and leaked");
                        else assertTrue(open(fd), where + ": fd " + fd + " was closed but never handed over");
                    }
                    boolean truncated = (op.resultFlags() & Operation.FLAG_CONTROL_TRUNCATED) != 0;
                    assertEquals(msgFlags != 0 || !expected.dropped.isEmpty(), truncated, where + ": control-truncated flag");
                } finally {
                    for (int fd : owned) if (!expected.dropped.contains(fd)) unistd_h.close(errno, fd);
                }
            }
        }
    }

    /** Writes a chain of cmsg headers with random lengths, levels and types; returns the bytes walked. */
    static long writeHeaders(Random r, MemorySegment control, long controlBytes) {
        long at = 0;
        while (at + cmsghdr.sizeof() <= controlBytes && r.nextInt(5) != 0) {
            long room = controlBytes - at - HEADER;
            long len = switch (r.nextInt(8)) {
                case 0 -> r.nextInt((int) HEADER);
                case 1 -> r.nextInt((int) controlBytes + 64);
                case 2 -> r.nextBoolean() ? Long.MAX_VALUE - r.nextInt(8) : -1L - r.nextInt(16);
                default -> CMSG_LEN(4L * r.nextInt((int) Math.max(1, room / 4 + 1)));
            };
            MemorySegment cmsg = control.asSlice(at);
            cmsghdr.cmsg_len(cmsg, len);
            cmsghdr.cmsg_level(cmsg, r.nextInt(6) == 0 ? r.nextInt(300) : SOL_SOCKET);
            cmsghdr.cmsg_type(cmsg, r.nextInt(6) == 0 ? r.nextInt(4) : SCM_RIGHTS);
            if (len < HEADER || len > controlBytes - at) return controlBytes;
            at += CMSG_ALIGN(len);
        }
        return Math.min(at, controlBytes);
    }

    record Model(List<Integer> delivered, List<Integer> dropped) {
    }

    /**
     * What a correct decoder does: walk the headers inside min(msg_controllen, control area),
     * stop at a header shorter than itself or one running past the end, take the fds of
     * SCM_RIGHTS messages into the array and drop (close) those that do not fit.
     */
    static Model model(MemorySegment control, long controlBytes, long controlLen, int capacity) {
        long end = controlLen < 0 || controlLen > controlBytes ? controlBytes : controlLen;
        List<Integer> delivered = new ArrayList<>();
        List<Integer> dropped = new ArrayList<>();
        long at = 0;
        while (at + cmsghdr.sizeof() <= end) {
            MemorySegment cmsg = control.asSlice(at);
            long len = cmsghdr.cmsg_len(cmsg);
            if (len < HEADER) break;
            long take = len < 0 || len > end - at ? end - at : len;
            if (cmsghdr.cmsg_level(cmsg) == SOL_SOCKET && cmsghdr.cmsg_type(cmsg) == SCM_RIGHTS) {
                for (long k = 0; k < (take - HEADER) / 4; k++) {
                    int fd = cmsg.get(ValueLayout.JAVA_INT_UNALIGNED, HEADER + 4 * k);
                    (delivered.size() < capacity ? delivered : dropped).add(fd);
                }
            }
            if (len > end - at) break;
            at += CMSG_ALIGN(len);
        }
        return new Model(delivered, dropped);
    }

    static boolean open(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd), LinkOption.NOFOLLOW_LINKS);
    }

    static void closeQuietly(List<Integer> fds, MemorySegment errno) {
        for (int fd : fds) unistd_h.close(errno, fd);
    }
}
