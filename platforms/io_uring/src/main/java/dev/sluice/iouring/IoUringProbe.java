package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.EFAULT;
import static dev.sluice.bindings.linux.errno_h.EINVAL;
import static dev.sluice.bindings.linux.errno_h.EMFILE;
import static dev.sluice.bindings.linux.errno_h.ENFILE;
import static dev.sluice.bindings.linux.errno_h.ENOMEM;
import static dev.sluice.bindings.linux.errno_h.ENOSYS;
import static dev.sluice.bindings.linux.errno_h.EPERM;
import static dev.sluice.bindings.linux.io_uring_h.*;

import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.io_uring_params;
import dev.sluice.bindings.linux.io_uring_probe;
import dev.sluice.bindings.linux.io_uring_probe_op;
import dev.sluice.bindings.linux.syscall_h;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.posix.LinuxErrno;
import dev.sluice.spi.Probe;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Whether io_uring works here, and if not, why and what to do about it (Netty's
 * {@code IoUring.isAvailable()/unavailabilityCause()}, TigerBeetle issue #2446). Sets up a tiny
 * ring, asks the kernel which opcodes it has (IORING_REGISTER_PROBE), and closes it again.
 *
 * <p>The causes seen in real deployments are told apart: ENOSYS (no io_uring in the kernel, or a
 * seccomp filter such as Docker's default profile or gVisor), EPERM (the sysctl
 * {@code kernel.io_uring_disabled}, or a seccomp/LSM policy), ENOMEM (RLIMIT_MEMLOCK on kernels
 * before 5.12), a kernel too old for the features and opcodes Sluice uses.
 */
final class IoUringProbe {
    /** Opcodes every ring needs, with the Linux version that added each. */
    private static final int[] REQUIRED_OPS = {
        IORING_OP_NOP, IORING_OP_READ, IORING_OP_SENDMSG, IORING_OP_RECVMSG, IORING_OP_TIMEOUT, IORING_OP_ACCEPT,
        IORING_OP_ASYNC_CANCEL, IORING_OP_LINK_TIMEOUT, IORING_OP_CONNECT, IORING_OP_SEND, IORING_OP_RECV,
    };

    /**
     * What the probe found.
     *
     * @param available true when rings can be opened
     * @param reason    for people: what was found, or the cause and the fix
     * @param kernel    the running kernel's release
     * @param features  IORING_FEAT_* of the test ring (0 when setup failed)
     * @param opcodes   opcodes the kernel supports (empty when setup failed)
     */
    record Result(boolean available, String reason, String kernel, int features, BitSet opcodes) {
        boolean supports(int opcode) {
            return opcodes.get(opcode);
        }

        Probe toProbe() {
            return new Probe(available, reason);
        }
    }

    private static volatile Result cached;

    private IoUringProbe() {
    }

    /** The probe result, computed once per JVM. */
    static Result cached() {
        Result r = cached;
        if (r == null) {
            synchronized (IoUringProbe.class) {
                r = cached;
                if (r == null) cached = r = run();
            }
        }
        return r;
    }

    /** Runs the probe now. */
    static Result run() {
        String kernel = readProc("/proc/sys/kernel/osrelease", "unknown");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = CapturedErrno.allocate(arena);
            MemorySegment params = io_uring_params.allocate(arena);
            int fd = syscall_h.io_uring_setup(errno, 2, params);
            if (fd < 0) {
                int e = CapturedErrno.errno(errno);
                return new Result(false, "io_uring_setup failed on Linux " + kernel + ": " + explainSetupError(e), kernel, 0, new BitSet());
            }
            try {
                int features = io_uring_params.features(params);
                List<String> missing = new ArrayList<>();
                if ((features & IORING_FEAT_SINGLE_MMAP) == 0) missing.add("IORING_FEAT_SINGLE_MMAP (5.4)");
                if ((features & IORING_FEAT_NODROP) == 0) missing.add("IORING_FEAT_NODROP (5.5)");
                if ((features & IORING_FEAT_EXT_ARG) == 0) missing.add("IORING_FEAT_EXT_ARG (5.11)");
                if (!missing.isEmpty()) {
                    return new Result(false, "Linux " + kernel + " has io_uring but lacks " + String.join(", ", missing)
                            + "; Sluice needs Linux 5.11 or newer for io_uring. Use the epoll backend or upgrade the kernel.", kernel, features, new BitSet());
                }
                int opsMax = 256;
                MemorySegment probe = arena.allocate(io_uring_probe.SIZEOF + io_uring_probe_op.SIZEOF * opsMax, 8);
                int r = syscall_h.io_uring_register(errno, fd, IORING_REGISTER_PROBE, probe, opsMax);
                if (r < 0) {
                    int e = CapturedErrno.errno(errno);
                    return new Result(false, "IORING_REGISTER_PROBE failed on Linux " + kernel + " with " + LinuxErrno.of(e) + " [errno " + e + "]"
                            + (e == EINVAL ? ": the kernel is older than 5.6; Sluice needs Linux 5.11 or newer for io_uring" : "")
                            + ". Use the epoll backend.", kernel, features, new BitSet());
                }
                BitSet ops = new BitSet();
                int len = Byte.toUnsignedInt(io_uring_probe.ops_len(probe));
                for (int i = 0; i < len; i++) {
                    MemorySegment op = probe.asSlice(io_uring_probe.SIZEOF + io_uring_probe_op.SIZEOF * i, io_uring_probe_op.SIZEOF);
                    if ((io_uring_probe_op.flags(op) & IO_URING_OP_SUPPORTED) != 0) ops.set(Byte.toUnsignedInt(io_uring_probe_op.op(op)));
                }
                String absent = missingOpcodes(ops, kernel);
                if (absent != null) return new Result(false, absent, kernel, features, ops);
                String shutdown = ops.get(IORING_OP_SHUTDOWN) ? "" : "; IORING_OP_SHUTDOWN missing (5.11), shutdown runs synchronously";
                return new Result(true, "io_uring on Linux " + kernel + shutdown, kernel, features, ops);
            } finally {
                unistd_h.close(errno, fd);
            }
        } catch (Throwable e) {
            // A missing symbol or a JVM without native access: not io_uring's fault, but it cannot run.
            return new Result(false, "io_uring probe failed: " + e, kernel, 0, new BitSet());
        }
    }

    /** Names the required opcodes {@code ops} lacks, or null when none is missing. */
    static String missingOpcodes(BitSet ops, String kernel) {
        List<String> absent = new ArrayList<>();
        for (int op : REQUIRED_OPS) if (!ops.get(op)) absent.add(opName(op));
        if (absent.isEmpty()) return null;
        return "io_uring on Linux " + kernel + " lacks the opcodes " + String.join(", ", absent)
                + " (all exist since Linux 5.6; a filtering sandbox can also hide them). Use the epoll backend.";
    }

    /** The cause of an io_uring_setup failure and its fix, in words. */
    static String explainSetupError(int errno) {
        return explainSetupError(errno, readProc("/proc/sys/kernel/io_uring_disabled", null), readProc("/proc/sys/kernel/io_uring_group", null));
    }

    /** As {@link #explainSetupError(int)}, with the sysctl values given (null: absent). */
    static String explainSetupError(int errno, String disabled, String group) {
        String name = LinuxErrno.of(errno) + " [errno " + errno + "]";
        return switch (errno) {
            case ENOSYS -> name + ": the kernel has no io_uring (built without CONFIG_IO_URING, or older than 5.1), or a seccomp filter"
                    + " blocks io_uring_setup (Docker's default seccomp profile does; so does gVisor). Run the container with a seccomp"
                    + " profile that allows io_uring_setup, io_uring_enter and io_uring_register, or use the epoll backend.";
            case EPERM -> name + ": " + switch (disabled == null ? "" : disabled) {
                case "2" -> "io_uring is disabled for every process by the sysctl kernel.io_uring_disabled=2."
                        + " Set it to 0 (sysctl -w kernel.io_uring_disabled=0) or use the epoll backend.";
                case "1" -> "the sysctl kernel.io_uring_disabled=1 allows io_uring only to processes with CAP_SYS_ADMIN or in the group"
                        + " kernel.io_uring_group" + (group != null ? " (" + group + ")" : "") + ". Add this process to that group, set"
                        + " kernel.io_uring_disabled=0, or use the epoll backend.";
                default -> "kernel.io_uring_disabled is " + (disabled == null ? "absent" : disabled) + ", so a seccomp filter or a security"
                        + " module (SELinux, AppArmor) refuses io_uring_setup. Allow io_uring_* in that policy or use the epoll backend.";
            };
            case ENOMEM -> name + ": the ring could not be allocated; kernels before 5.12 charge it to RLIMIT_MEMLOCK. Raise"
                    + " `ulimit -l` (or LimitMEMLOCK= in systemd) or use the epoll backend.";
            case EMFILE, ENFILE -> name + ": no file descriptor left for the ring. Raise `ulimit -n` or close descriptors.";
            case EFAULT -> name + ": the kernel could not read the io_uring_params (a bug in Sluice's bindings).";
            default -> name + ": unexpected; use the epoll backend.";
        };
    }

    static String opName(int op) {
        return switch (op) {
            case IORING_OP_NOP -> "IORING_OP_NOP";
            case IORING_OP_READ -> "IORING_OP_READ";
            case IORING_OP_SENDMSG -> "IORING_OP_SENDMSG";
            case IORING_OP_RECVMSG -> "IORING_OP_RECVMSG";
            case IORING_OP_TIMEOUT -> "IORING_OP_TIMEOUT";
            case IORING_OP_ACCEPT -> "IORING_OP_ACCEPT";
            case IORING_OP_ASYNC_CANCEL -> "IORING_OP_ASYNC_CANCEL";
            case IORING_OP_LINK_TIMEOUT -> "IORING_OP_LINK_TIMEOUT";
            case IORING_OP_CONNECT -> "IORING_OP_CONNECT";
            case IORING_OP_SEND -> "IORING_OP_SEND";
            case IORING_OP_RECV -> "IORING_OP_RECV";
            case IORING_OP_SHUTDOWN -> "IORING_OP_SHUTDOWN";
            default -> "opcode " + op;
        };
    }

    private static String readProc(String path, String absent) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException | SecurityException e) {
            return absent;
        }
    }
}
