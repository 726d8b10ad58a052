package dev.sluice.iouring;

import dev.sluice.Op;

/**
 * What Sluice puts into an SQE's {@code user_data} so that its CQE finds its way back, after
 * Netty's {@code UserData}. The kernel copies the 64 bits verbatim into the CQE.
 *
 * <pre>
 *  63        56 55                               24 23                 0
 * +------------+-----------------------------------+--------------------+
 * |  kind (8)  |          generation (32)          |     slot (24)      |
 * +------------+-----------------------------------+--------------------+
 * </pre>
 *
 * <p>{@code kind} is the {@link Op} ordinal for a user operation, or one of the internal kinds
 * below. {@code generation} changes every time a slot is handed out, so a CQE that belongs to an
 * earlier tenant of the slot is caught instead of completing the wrong operation. Internal kinds
 * without a slot (wakeup read, cancels of closeSocket and close) use slot 0 and generation 0.
 */
final class UserData {
    static final int SLOT_BITS = 24;
    static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** Largest slot table: the 24 bits above. RingConfig.INFLIGHT_MAX plus internal slots is far below. */
    static final int SLOTS_MAX = 1 << SLOT_BITS;

    /** The IORING_OP_LINK_TIMEOUT that bounds the user operation in the same slot. */
    static final int KIND_LINK_TIMEOUT = 32;
    /** The IORING_OP_READ kept pending on the wakeup eventfd. */
    static final int KIND_WAKEUP = 33;
    /** IORING_OP_ASYNC_CANCEL issued by closeSocket; its result is not needed. */
    static final int KIND_CLOSE_CANCEL = 34;
    /** IORING_OP_ASYNC_CANCEL issued by close() to drain the ring; its result is not needed. */
    static final int KIND_DRAIN_CANCEL = 35;
    /** The one-off ASYNC_CANCEL at open that checks whether IORING_ASYNC_CANCEL_FD is understood. */
    static final int KIND_FEATURE_CHECK = 36;

    private UserData() {
    }

    static long pack(int slot, int generation, int kind) {
        if ((slot & ~SLOT_MASK) != 0) throw new AssertionError("slot " + slot + " does not fit " + SLOT_BITS + " bits");
        return ((long) (kind & 0xff) << 56) | ((generation & 0xffffffffL) << SLOT_BITS) | slot;
    }

    /** user_data of an internal operation that owns no slot. */
    static long internal(int kind) {
        return pack(0, 0, kind);
    }

    static int slot(long userData) {
        return (int) (userData & SLOT_MASK);
    }

    static int generation(long userData) {
        return (int) (userData >>> SLOT_BITS);
    }

    static int kind(long userData) {
        return (int) (userData >>> 56);
    }

    /** The kind of a user operation. */
    static int kind(Op op) {
        return op.ordinal();
    }

    /** For messages: {@code "recv slot 3 gen 7"}. */
    static String describe(long userData) {
        int kind = kind(userData);
        String name = switch (kind) {
            case KIND_LINK_TIMEOUT -> "link-timeout";
            case KIND_WAKEUP -> "wakeup-read";
            case KIND_CLOSE_CANCEL -> "close-cancel";
            case KIND_DRAIN_CANCEL -> "drain-cancel";
            case KIND_FEATURE_CHECK -> "feature-check";
            default -> kind < Op.values().length ? Op.values()[kind].name().toLowerCase(java.util.Locale.ROOT) : "kind " + kind;
        };
        return name + " slot " + slot(userData) + " gen " + Integer.toUnsignedString(generation(userData))
                + " (user_data 0x" + Long.toHexString(userData) + ")";
    }
}
