package dev.sluice.conformance;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A deterministic byte stream with no short period: byte {@code i} of stream {@code seed} is a
 * byte of splitmix64({@code seed}, i / 8). A receiver regenerates what it expects at any offset,
 * so 64 MiB are checked byte for byte without keeping a copy, and a mismatch names its offset.
 */
final class Pattern {
    private final long seed;

    Pattern(long seed) {
        this.seed = seed;
    }

    /** The byte at {@code offset}. */
    byte at(long offset) {
        return (byte) (word(offset >>> 3) >>> ((offset & 7) << 3));
    }

    private long word(long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The first {@code n} bytes of the stream. */
    byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = at(i);
        return b;
    }

    /** Writes stream bytes {@code [offset, offset + n)} into {@code dst} from its start. */
    void fill(MemorySegment dst, long offset, long n) {
        long w = 0;
        for (long i = 0; i < n; i++) {
            long at = offset + i;
            if (i == 0 || (at & 7) == 0) w = word(at >>> 3);
            dst.set(ValueLayout.JAVA_BYTE, i, (byte) (w >>> ((at & 7) << 3)));
        }
    }

    /**
     * Checks that {@code src[0, n)} holds stream bytes {@code [offset, offset + n)}.
     *
     * @return -1 when it does, else the stream offset of the first wrong byte
     */
    long mismatch(MemorySegment src, long offset, long n) {
        long w = 0;
        for (long i = 0; i < n; i++) {
            long at = offset + i;
            if (i == 0 || (at & 7) == 0) w = word(at >>> 3);
            if (src.get(ValueLayout.JAVA_BYTE, i) != (byte) (w >>> ((at & 7) << 3))) return at;
        }
        return -1;
    }
}
