// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;


/**
 * Constants of {@code <linux/seccomp.h>}, plus {@code AUDIT_ARCH_X86_64} and {@code AUDIT_ARCH_AARCH64}
 * from {@code <linux/audit.h>} (what {@code seccomp_data.arch} holds). Used by tests that install a
 * filter refusing io_uring_setup; see {@link linux_filter_h} and {@link sys_prctl_h}.
 */
@SuppressWarnings("unused")
public final class linux_seccomp_h {
    private linux_seccomp_h() {}

    public static final int SECCOMP_MODE_DISABLED = 0;
    public static final int SECCOMP_MODE_STRICT = 1;
    public static final int SECCOMP_MODE_FILTER = 2;
    public static final int SECCOMP_SET_MODE_STRICT = 0;
    public static final int SECCOMP_SET_MODE_FILTER = 1;
    public static final long SECCOMP_FILTER_FLAG_TSYNC = 1L;
    public static final int SECCOMP_RET_KILL_PROCESS = 0x80000000;
    public static final int SECCOMP_RET_KILL_THREAD = 0;
    public static final int SECCOMP_RET_KILL = 0;
    public static final int SECCOMP_RET_TRAP = 0x30000;
    public static final int SECCOMP_RET_ERRNO = 0x50000;
    public static final int SECCOMP_RET_TRACE = 0x7ff00000;
    public static final int SECCOMP_RET_LOG = 0x7ffc0000;
    public static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    public static final int SECCOMP_RET_ACTION_FULL = 0xffff0000;
    public static final int SECCOMP_RET_ACTION = 0x7fff0000;
    public static final int SECCOMP_RET_DATA = 65535;
    public static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    public static final int AUDIT_ARCH_AARCH64 = 0xc00000b7;
}
