package dev.sluice.conformance;

import static dev.sluice.bindings.linux.linux_filter_h.BPF_ABS;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_JEQ;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_JMP;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_JUMP;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_K;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_LD;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_RET;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_STMT;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_W;

import dev.sluice.Completion;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.Socket;
import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.errno_h;
import dev.sluice.bindings.linux.io_uring_params;
import dev.sluice.bindings.linux.linux_seccomp_h;
import dev.sluice.bindings.linux.seccomp_data;
import dev.sluice.bindings.linux.sock_filter;
import dev.sluice.bindings.linux.sock_fprog;
import dev.sluice.bindings.linux.sys_prctl_h;
import dev.sluice.bindings.linux.syscall_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The main class of the child JVM that {@link IoUringRefusedTest} starts. Before anything else,
 * on the main thread, it installs a seccomp filter that answers io_uring_setup with the errno
 * named in {@code args[0]} (ENOSYS as Docker's default profile does, EPERM as
 * {@code kernel.io_uring_disabled} does), checks the filter bites, then opens a Ring with
 * automatic selection and does a TCP round trip. It prints {@code key=value} lines for the test.
 *
 * <p>A seccomp filter installed with prctl applies to the calling thread and to threads it
 * creates afterwards; JVM threads started before main (GC, JIT) are not filtered, which does not
 * matter because the ring is opened and probed on this thread. The JVM itself never calls
 * io_uring_setup.
 */
public final class SeccompChild {
    private SeccompChild() {
    }

    public static void main(String[] args) throws Exception {
        int errno = switch (args[0]) {
            case "ENOSYS" -> errno_h.ENOSYS;
            case "EPERM" -> errno_h.EPERM;
            default -> throw new IllegalArgumentException("ENOSYS or EPERM, not " + args[0]);
        };
        installFilter(errno);
        System.out.println("filter-check=" + ioUringSetupErrno());
        try (Ring ring = Ring.open()) {
            System.out.println("backend=" + ring.backend().name());
            System.out.println("reason=" + ring.backend().reason().replace('\n', ' '));
            echo(ring);
        }
        System.out.println("OK");
    }

    /** Audit arch of this JVM: a syscall from another ABI (x32, compat) is left alone. */
    private static int auditArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> linux_seccomp_h.AUDIT_ARCH_X86_64;
            case "aarch64" -> linux_seccomp_h.AUDIT_ARCH_AARCH64;
            default -> throw new IllegalStateException("no audit arch known for " + System.getProperty("os.arch"));
        };
    }

    private static void installFilter(int errno) {
        Arena arena = Arena.global();
        MemorySegment state = CapturedErrno.allocate(arena);
        MemorySegment filter = arena.allocate(sock_filter.layout(), 6);
        // 0: A = seccomp_data.arch
        BPF_STMT(filter, 0, BPF_LD | BPF_W | BPF_ABS, (int) seccomp_data.OFFSET_arch);
        // 1: if A != our arch goto 5 (allow)
        BPF_JUMP(filter, 1, BPF_JMP | BPF_JEQ | BPF_K, auditArch(), 0, 3);
        // 2: A = seccomp_data.nr
        BPF_STMT(filter, 2, BPF_LD | BPF_W | BPF_ABS, (int) seccomp_data.OFFSET_nr);
        // 3: if A == io_uring_setup goto 4 else goto 5 (425 on both x86_64 and aarch64)
        BPF_JUMP(filter, 3, BPF_JMP | BPF_JEQ | BPF_K, syscall_h.SYS_io_uring_setup, 0, 1);
        // 4: fail the call with errno
        BPF_STMT(filter, 4, BPF_RET | BPF_K, linux_seccomp_h.SECCOMP_RET_ERRNO | (errno & linux_seccomp_h.SECCOMP_RET_DATA));
        // 5: allow
        BPF_STMT(filter, 5, BPF_RET | BPF_K, linux_seccomp_h.SECCOMP_RET_ALLOW);
        MemorySegment prog = sock_fprog.allocate(arena);
        sock_fprog.len(prog, (short) 6);
        sock_fprog.filter(prog, filter);

        // Without CAP_SYS_ADMIN a filter may only be installed after promising no new privileges.
        if (sys_prctl_h.prctl(state, sys_prctl_h.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
            die("prctl(PR_SET_NO_NEW_PRIVS) failed with errno " + CapturedErrno.errno(state));
        }
        if (sys_prctl_h.prctl(state, sys_prctl_h.PR_SET_SECCOMP, linux_seccomp_h.SECCOMP_MODE_FILTER, prog.address(), 0, 0) != 0) {
            die("prctl(PR_SET_SECCOMP) failed with errno " + CapturedErrno.errno(state));
        }
    }

    /** Calls io_uring_setup directly: the errno it fails with, or "none" if it worked. */
    private static String ioUringSetupErrno() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CapturedErrno.allocate(arena);
            MemorySegment params = io_uring_params.allocate(arena);
            int fd = syscall_h.io_uring_setup(state, 1, params);
            if (fd >= 0) return "none (fd " + fd + ")";
            int e = CapturedErrno.errno(state);
            return e == errno_h.ENOSYS ? "ENOSYS" : e == errno_h.EPERM ? "EPERM" : "errno " + e;
        }
    }

    private static void echo(Ring ring) throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
        Socket client = ring.openTcp(listener.localAddress().family());
        byte[] message = "ping over the fallback".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MemorySegment out = Arena.global().allocate(message.length);
        MemorySegment.copy(message, 0, out, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, message.length);
        MemorySegment serverBuf = Arena.global().allocate(64);
        MemorySegment clientBuf = Arena.global().allocate(64);
        int[] got = {-1};
        ring.accept(listener, new Completion(), a -> {
            Socket s = check(a).accepted();
            ring.recv(s, serverBuf, new Completion(), r -> ring.send(s, serverBuf.asSlice(0, check(r).result()), new Completion(), w -> check(w)));
        });
        ring.connect(client, listener.localAddress(), new Completion(), c -> {
            check(c);
            ring.send(client, out, new Completion(), w -> check(w));
            ring.recv(client, clientBuf, new Completion(), r -> got[0] = check(r).result());
        });
        if (!ring.runUntil(() -> got[0] >= 0, 20_000_000_000L)) die("echo timed out");
        byte[] back = clientBuf.asSlice(0, got[0]).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(message, back)) die("echo returned other bytes: " + new String(back, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static Completion check(Completion c) {
        if (!c.ok()) die(c.describe() + " failed: " + c.error());
        return c;
    }

    private static void die(String why) {
        System.out.println("error=" + why);
        System.out.flush();
        System.exit(2);
    }
}
