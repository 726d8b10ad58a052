// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

/** Constants and functions of {@code <linux/filter.h> (and <linux/bpf_common.h>)} on Linux (glibc, x86_64/aarch64). */
@SuppressWarnings("unused")
public final class linux_filter_h {
    private linux_filter_h() {}

    public static final int BPF_LD = 0;
    public static final int BPF_LDX = 1;
    public static final int BPF_ST = 2;
    public static final int BPF_STX = 3;
    public static final int BPF_ALU = 4;
    public static final int BPF_JMP = 5;
    public static final int BPF_RET = 6;
    public static final int BPF_MISC = 7;
    public static final int BPF_W = 0;
    public static final int BPF_H = 8;
    public static final int BPF_B = 16;
    public static final int BPF_IMM = 0;
    public static final int BPF_ABS = 32;
    public static final int BPF_IND = 64;
    public static final int BPF_MEM = 96;
    public static final int BPF_LEN = 128;
    public static final int BPF_MSH = 160;
    public static final int BPF_ADD = 0;
    public static final int BPF_SUB = 16;
    public static final int BPF_MUL = 32;
    public static final int BPF_DIV = 48;
    public static final int BPF_OR = 64;
    public static final int BPF_AND = 80;
    public static final int BPF_LSH = 96;
    public static final int BPF_RSH = 112;
    public static final int BPF_NEG = 128;
    public static final int BPF_MOD = 144;
    public static final int BPF_XOR = 160;
    public static final int BPF_JA = 0;
    public static final int BPF_JEQ = 16;
    public static final int BPF_JGT = 32;
    public static final int BPF_JGE = 48;
    public static final int BPF_JSET = 64;
    public static final int BPF_K = 0;
    public static final int BPF_X = 8;
    public static final int BPF_A = 16;
    public static final int BPF_TAX = 0;
    public static final int BPF_TXA = 128;
    public static final int BPF_MAXINSNS = 0x1000;

    // BPF_STMT and BPF_JUMP are initialiser macros in <linux/filter.h>; mirrored here as writes of
    // element `index` of a sock_filter array (AbiTest compares the bytes with the C macros).

    /** {@code filter[index] = BPF_STMT(code, k)}. */
    public static void BPF_STMT(MemorySegment filter, long index, int code, int k) {
        BPF_JUMP(filter, index, code, k, 0, 0);
    }

    /** {@code filter[index] = BPF_JUMP(code, k, jt, jf)}. */
    public static void BPF_JUMP(MemorySegment filter, long index, int code, int k, int jt, int jf) {
        MemorySegment insn = filter.asSlice(index * sock_filter.sizeof(), sock_filter.sizeof());
        sock_filter.code(insn, (short) code);
        sock_filter.jt(insn, (byte) jt);
        sock_filter.jf(insn, (byte) jf);
        sock_filter.k(insn, k);
    }
}
