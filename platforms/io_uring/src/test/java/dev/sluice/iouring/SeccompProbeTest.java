package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.ENOSYS;
import static dev.sluice.bindings.linux.errno_h.EPERM;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_ABS;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_JEQ;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_JMP;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_K;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_LD;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_RET;
import static dev.sluice.bindings.linux.linux_filter_h.BPF_W;
import static dev.sluice.bindings.linux.linux_seccomp_h.SECCOMP_MODE_FILTER;
import static dev.sluice.bindings.linux.linux_seccomp_h.SECCOMP_RET_ALLOW;
import static dev.sluice.bindings.linux.linux_seccomp_h.SECCOMP_RET_ERRNO;
import static dev.sluice.bindings.linux.sys_prctl_h.PR_SET_NO_NEW_PRIVS;
import static dev.sluice.bindings.linux.sys_prctl_h.PR_SET_SECCOMP;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.RingConfig;
import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.linux_filter_h;
import dev.sluice.bindings.linux.seccomp_data;
import dev.sluice.bindings.linux.sock_filter;
import dev.sluice.bindings.linux.sock_fprog;
import dev.sluice.bindings.linux.sys_prctl_h;
import dev.sluice.bindings.linux.syscall_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployment failures of io_uring, reproduced for real: a seccomp filter that answers
 * io_uring_setup with ENOSYS (Docker's default profile) or EPERM, installed on one throwaway
 * platform thread only (filters are per thread unless TSYNC is asked for), which then runs the
 * probe and tries to open a backend.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SeccompProbeTest {
    /** Installs "io_uring_setup fails with errno, everything else allowed" on the calling thread. */
    private static void denyIoUringSetup(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CapturedErrno.allocate(arena);
            MemorySegment insns = arena.allocate(sock_filter.sizeof() * 4, 8);
            linux_filter_h.BPF_STMT(insns, 0, BPF_LD | BPF_W | BPF_ABS, (int) seccomp_data.OFFSET_nr);
            linux_filter_h.BPF_JUMP(insns, 1, BPF_JMP | BPF_JEQ | BPF_K, syscall_h.SYS_io_uring_setup, 0, 1);
            linux_filter_h.BPF_STMT(insns, 2, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | errno);
            linux_filter_h.BPF_STMT(insns, 3, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
            MemorySegment prog = sock_fprog.allocate(arena);
            sock_fprog.len(prog, (short) 4);
            sock_fprog.filter(prog, insns);
            if (sys_prctl_h.prctl(state, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
                throw new IllegalStateException("PR_SET_NO_NEW_PRIVS failed: errno " + CapturedErrno.errno(state));
            }
            // The kernel copies the filter at install time; the arena may close afterwards.
            if (sys_prctl_h.prctl(state, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog.address(), 0, 0) != 0) {
                throw new IllegalStateException("PR_SET_SECCOMP failed: errno " + CapturedErrno.errno(state));
            }
        }
    }

    private static String[] probeUnder(int errno) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("seccomp-" + errno).start(() -> {
            try {
                denyIoUringSetup(errno);
                IoUringProbe.Result r = IoUringProbe.run();
                String open;
                try {
                    IoUringBackend.open(RingConfig.DEFAULT).close();
                    open = "opened";
                } catch (Exception e) {
                    open = e.getMessage();
                }
                out.set(new String[] {Boolean.toString(r.available()), r.reason(), open});
            } catch (Throwable e) {
                out.set(e);
            }
        });
        t.join();
        if (out.get() instanceof IllegalStateException e && e.getMessage().startsWith("PR_SET")) assumeTrue(false, e.getMessage());
        if (out.get() instanceof Throwable e) throw new AssertionError(e);
        return (String[]) out.get();
    }

    @Test
    void enosysFromSeccompIsExplained() throws Exception {
        assumeTrue(IoUringProbe.cached().available(), "io_uring unavailable anyway");
        String[] r = probeUnder(ENOSYS);
        assertFalse(Boolean.parseBoolean(r[0]));
        assertTrue(r[1].contains("ENOSYS") && r[1].contains("seccomp"), r[1]);
        // The backend itself also refuses with the reason, even though the JVM-wide probe passed.
        assertTrue(r[2].contains("ENOSYS") && r[2].contains("seccomp"), r[2]);
        System.out.println("ENOSYS: " + r[1]);
    }

    @Test
    void epermIsExplainedWithTheSysctlValue() throws Exception {
        assumeTrue(IoUringProbe.cached().available(), "io_uring unavailable anyway");
        String[] r = probeUnder(EPERM);
        assertFalse(Boolean.parseBoolean(r[0]));
        assertTrue(r[1].contains("EPERM") && r[1].contains("kernel.io_uring_disabled"), r[1]);
        System.out.println("EPERM: " + r[1]);
    }
}
