package dev.sluice.iouring;

import static dev.sluice.bindings.linux.io_uring_h.IORING_ASYNC_CANCEL_ALL;
import static dev.sluice.bindings.linux.io_uring_h.IORING_ASYNC_CANCEL_ANY;
import static dev.sluice.bindings.linux.io_uring_h.IORING_OP_ASYNC_CANCEL;
import static dev.sluice.bindings.linux.fcntl_h.SPLICE_F_MOVE;
import static dev.sluice.bindings.linux.socket_h.MSG_CMSG_CLOEXEC;
import static dev.sluice.bindings.linux.socket_h.MSG_NOSIGNAL;
import static dev.sluice.bindings.linux.socket_h.SHUT_WR;
import static dev.sluice.bindings.linux.socket_h.SOCK_CLOEXEC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SqeEncoder} against liburing as the oracle: a C program calling the io_uring_prep_*
 * helpers with the same arguments is compiled here with gcc and liburing-dev, and each SQE must
 * match byte for byte. The Java side encodes into memory filled with 0xAA first, so a field the
 * encoder forgets to write shows up as a difference too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SqeEncoderTest {
    private static final long UD = 0xa1b2c3d4e5f60718L;

    /** The field of struct io_uring_sqe (Linux 6.1 UAPI) that holds byte {@code offset}. */
    static String field(int offset) {
        if (offset < 1) return "opcode";
        if (offset < 2) return "flags";
        if (offset < 4) return "ioprio";
        if (offset < 8) return "fd";
        if (offset < 16) return "off/addr2";
        if (offset < 24) return "addr/splice_off_in";
        if (offset < 28) return "len";
        if (offset < 32) return "op_flags (msg/timeout/accept/cancel_flags)";
        if (offset < 40) return "user_data";
        if (offset < 42) return "buf_index/buf_group";
        if (offset < 44) return "personality";
        if (offset < 48) return "splice_fd_in/file_index/addr_len";
        if (offset < 56) return "addr3";
        return "__pad2";
    }

    private static Map<String, Consumer<MemorySegment>> javaCases() {
        Map<String, Consumer<MemorySegment>> m = new LinkedHashMap<>();
        m.put("nop", s -> SqeEncoder.nop(s, 0, UD));
        m.put("accept", s -> SqeEncoder.accept(s, 0, 7, 0, 0, SOCK_CLOEXEC, UD));
        m.put("accept_addr", s -> SqeEncoder.accept(s, 0, 7, 0x1000, 0x2000, SOCK_CLOEXEC, UD));
        m.put("connect", s -> SqeEncoder.connect(s, 0, 7, 0x1000, 16, UD));
        m.put("connect6", s -> SqeEncoder.connect(s, 0, 8, 0x7fff12345678L, 28, UD));
        m.put("send", s -> SqeEncoder.send(s, 0, 7, 0x1000, 4096, MSG_NOSIGNAL, UD));
        m.put("recv", s -> SqeEncoder.recv(s, 0, 7, 0x1000, 4096, 0, UD));
        m.put("recv_linked", s -> {
            SqeEncoder.recv(s, 0, 7, 0x1000, 4096, 0, UD);
            SqeEncoder.link(s, 0);
        });
        m.put("sendmsg", s -> SqeEncoder.sendmsg(s, 0, 7, 0x3000, MSG_NOSIGNAL, UD));
        m.put("recvmsg", s -> SqeEncoder.recvmsg(s, 0, 7, 0x3000, MSG_CMSG_CLOEXEC, UD));
        m.put("timeout", s -> SqeEncoder.timeout(s, 0, 0x4000, 0, 0, UD));
        m.put("link_timeout", s -> SqeEncoder.linkTimeout(s, 0, 0x4010, 0, UD));
        m.put("cancel64", s -> SqeEncoder.cancel64(s, 0, 0x0102030405060708L, 0, UD));
        m.put("cancel_fd_all", s -> SqeEncoder.cancelFd(s, 0, 7, IORING_ASYNC_CANCEL_ALL, UD));
        // What IoUringBackend.cancelAll writes for IORING_ASYNC_CANCEL_ANY.
        m.put("cancel_any_all", s -> SqeEncoder.rw(s, 0, IORING_OP_ASYNC_CANCEL, -1, 0, 0, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL, UD));
        m.put("shutdown", s -> SqeEncoder.shutdown(s, 0, 7, SHUT_WR, UD));
        m.put("read_eventfd", s -> SqeEncoder.read(s, 0, 9, 0x5000, 8, 0, UD));
        // What IoUringBackend writes for SPLICE: socket 7 to pipe 11, pipe 10 to socket 7, and the readiness poll before the first.
        m.put("splice_socket_to_pipe", s -> SqeEncoder.splice(s, 0, 7, -1, 11, -1, 262144, SPLICE_F_MOVE, UD));
        m.put("splice_pipe_to_socket", s -> SqeEncoder.splice(s, 0, 10, -1, 7, -1, 65536, SPLICE_F_MOVE, UD));
        m.put("poll_add_in", s -> SqeEncoder.pollAdd(s, 0, 7, 0x001, UD));
        m.put("accept_multishot", s -> SqeEncoder.acceptMultishot(s, 0, 7, SOCK_CLOEXEC, UD));
        m.put("recv_multishot", s -> SqeEncoder.recvMultishot(s, 0, 7, 5, 0, UD));
        // What IoUringBackend.encode writes for a socket in the registered file table: the op on its fd, then the index.
        m.put("accept_fixed", s -> fixed(s, 3, x -> SqeEncoder.accept(x, 0, 7, 0, 0, SOCK_CLOEXEC, UD)));
        m.put("connect_fixed", s -> fixed(s, 3, x -> SqeEncoder.connect(x, 0, 7, 0x1000, 16, UD)));
        m.put("send_fixed", s -> fixed(s, 3, x -> SqeEncoder.send(x, 0, 7, 0x1000, 4096, MSG_NOSIGNAL, UD)));
        m.put("recv_fixed", s -> fixed(s, 4095, x -> SqeEncoder.recv(x, 0, 7, 0x1000, 4096, 0, UD)));
        m.put("recv_fixed_linked", s -> {
            fixed(s, 3, x -> SqeEncoder.recv(x, 0, 7, 0x1000, 4096, 0, UD));
            SqeEncoder.link(s, 0);
        });
        m.put("sendmsg_fixed", s -> fixed(s, 3, x -> SqeEncoder.sendmsg(x, 0, 7, 0x3000, MSG_NOSIGNAL, UD)));
        m.put("recvmsg_fixed", s -> fixed(s, 3, x -> SqeEncoder.recvmsg(x, 0, 7, 0x3000, MSG_CMSG_CLOEXEC, UD)));
        m.put("shutdown_fixed", s -> fixed(s, 3, x -> SqeEncoder.shutdown(x, 0, 7, SHUT_WR, UD)));
        return m;
    }

    private static void fixed(MemorySegment sqe, int index, Consumer<MemorySegment> prep) {
        prep.accept(sqe);
        SqeEncoder.fixedFile(sqe, 0, index);
    }

    private static boolean hasTool(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish");
        }
        if (p.exitValue() != 0) fail(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + out);
        return out;
    }

    @Test
    void everySqeMatchesLiburing(@TempDir Path dir) throws Exception {
        assumeTrue(hasTool("gcc", "--version"), "gcc is not installed; the liburing oracle cannot be built");
        assumeTrue(Files.exists(Path.of("/usr/include/liburing.h")), "liburing-dev is not installed (apt-get install liburing-dev)");
        Path src = dir.resolve("sqe_oracle.c");
        try (InputStream in = SqeEncoderTest.class.getResourceAsStream("sqe_oracle.c")) {
            Files.copy(in, src);
        }
        run(dir, "gcc", "-std=gnu11", "-Wall", "-Werror", "-o", "sqe_oracle", "sqe_oracle.c");
        List<String> lines = run(dir, dir.resolve("sqe_oracle").toString()).lines().toList();

        Map<String, Consumer<MemorySegment>> cases = javaCases();
        assertEquals(cases.keySet().stream().toList(), lines.stream().map(l -> l.split(" ")[0]).toList(), "the C and Java case lists differ");
        StringBuilder problems = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sqe = arena.allocate(SqeEncoder.SQE_BYTES, 64);
            for (String line : lines) {
                String[] parts = line.split(" ");
                byte[] expected = HexFormat.of().parseHex(parts[1]);
                sqe.fill((byte) 0xAA);
                cases.get(parts[0]).accept(sqe);
                byte[] actual = sqe.toArray(ValueLayout.JAVA_BYTE);
                for (int i = 0; i < expected.length; i++) {
                    if (expected[i] != actual[i]) {
                        problems.append(String.format("%s: byte %d (%s) liburing %02x, Sluice %02x%n",
                                parts[0], i, field(i), expected[i] & 0xff, actual[i] & 0xff));
                    }
                }
            }
        }
        if (!problems.isEmpty()) fail("SQE encoding differs from liburing:\n" + problems);
    }

    @Test
    void userDataRoundTrips() {
        long ud = UserData.pack(UserData.SLOT_MASK, 0xfedcba98, UserData.KIND_LINK_TIMEOUT);
        assertEquals(UserData.SLOT_MASK, UserData.slot(ud));
        assertEquals(0xfedcba98, UserData.generation(ud));
        assertEquals(UserData.KIND_LINK_TIMEOUT, UserData.kind(ud));
        long small = UserData.pack(3, 7, dev.sluice.Op.RECV.ordinal());
        assertEquals(3, UserData.slot(small));
        assertEquals(7, UserData.generation(small));
        assertEquals(dev.sluice.Op.RECV.ordinal(), UserData.kind(small));
    }
}
