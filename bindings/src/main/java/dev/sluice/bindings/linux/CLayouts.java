package dev.sluice.bindings.linux;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.ValueLayout;

/** C type layouts for LP64 Linux (x86_64, aarch64), named as jextract names them. */
public final class CLayouts {
    private CLayouts() {}

    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** {@code long}, {@code size_t}, {@code ssize_t}, {@code off_t}: 64 bits on LP64. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    /** Pointers come back as zero-length segments; reinterpret them to the size you know. */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;
}
