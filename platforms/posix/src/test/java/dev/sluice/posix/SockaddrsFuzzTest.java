package dev.sluice.posix;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.Address;
import dev.sluice.IPv4Address;
import dev.sluice.IPv6Address;
import dev.sluice.UnixAddress;
import dev.sluice.bindings.linux.socket_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sockaddr bytes from the kernel are input: random bytes and lengths decode to a valid address or
 * fail with IllegalArgumentException, never IndexOutOfBounds; random valid addresses survive
 * encode → decode.
 */
@Timeout(60)
class SockaddrsFuzzTest {
    private static final int CASES = 50_000;
    private static final short[] FAMILIES = {(short) socket_h.AF_INET, (short) socket_h.AF_INET6, (short) socket_h.AF_UNIX};

    @Test
    void decodeOfRandomBytesGivesAnAddressOrIllegalArgument() {
        Random r = new Random(53);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(Sockaddrs.STORAGE_BYTES);
            for (int i = 0; i < CASES; i++) {
                boolean exact = r.nextBoolean();
                int length = exact ? r.nextInt(Sockaddrs.STORAGE_BYTES + 1) : r.nextInt(Sockaddrs.STORAGE_BYTES + 64) - 8;
                // Either the whole storage (as recvfrom fills it) or a segment of exactly the length reported.
                MemorySegment src = exact ? arena.allocate(Math.max(length, 0)) : storage;
                byte[] bytes = new byte[(int) src.byteSize()];
                r.nextBytes(bytes);
                if (r.nextInt(3) == 0) for (int k = 16; k < bytes.length; k++) if (r.nextInt(4) != 0) bytes[k] = 0;
                MemorySegment.copy(bytes, 0, src, ValueLayout.JAVA_BYTE, 0, bytes.length);
                if (src.byteSize() >= 2 && r.nextInt(8) != 0) src.set(ValueLayout.JAVA_SHORT, 0, FAMILIES[r.nextInt(FAMILIES.length)]);
                String where = "case " + i + ": " + length + " bytes reported, " + src.byteSize() + " given, family "
                        + (src.byteSize() >= 2 ? src.get(ValueLayout.JAVA_SHORT, 0) : -1);
                Address a;
                try {
                    a = Sockaddrs.decode(src, length);
                } catch (IllegalArgumentException expected) {
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError(where + ": " + e, e);
                }
                assertNotNull(a, where);
                MemorySegment again = arena.allocate(Sockaddrs.STORAGE_BYTES);
                int n = Sockaddrs.encode(a, again);
                assertEquals(a, Sockaddrs.decode(again, n), where + ": re-encoding " + a);
            }
        }
    }

    @Test
    void randomValidAddressesSurviveEncodeAndDecode() {
        Random r = new Random(59);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(Sockaddrs.STORAGE_BYTES);
            for (int i = 0; i < CASES; i++) {
                Address a = randomAddress(r);
                dst.fill((byte) r.nextInt(256));
                int n = Sockaddrs.encode(a, dst);
                assertTrue(n >= 2 && n <= Sockaddrs.STORAGE_BYTES, "length " + n);
                assertEquals(a, Sockaddrs.decode(dst, n), "case " + i);
                assertEquals(a, Sockaddrs.decode(dst.asSlice(0, n), n), "case " + i + " with exactly " + n + " bytes");
            }
        }
    }

    static Address randomAddress(Random r) {
        switch (r.nextInt(3)) {
            case 0 -> {
                byte[] b = new byte[4];
                r.nextBytes(b);
                return new IPv4Address(b, r.nextInt(65536));
            }
            case 1 -> {
                byte[] b = new byte[16];
                r.nextBytes(b);
                return new IPv6Address(b, r.nextInt(65536), r.nextInt(), r.nextInt(4) == 0 ? r.nextInt() : 0);
            }
            default -> {
                int kind = r.nextInt(5);
                if (kind == 0) return UnixAddress.unnamed();
                StringBuilder sb = new StringBuilder();
                int limit = UnixAddress.NAME_BYTES_MAX;
                while (true) {
                    int cp = switch (r.nextInt(6)) {
                        case 0 -> kind == 1 ? 0 : 'x';
                        case 1 -> 0x80 + r.nextInt(0x780);
                        case 2 -> 0x10000 + r.nextInt(0x100000);
                        default -> 0x21 + r.nextInt(0x5E);
                    };
                    String next = sb + new String(Character.toChars(cp));
                    if (next.getBytes(StandardCharsets.UTF_8).length > limit || r.nextInt(40) == 0) break;
                    sb.setLength(0);
                    sb.append(next);
                }
                if (kind == 1) return UnixAddress.abstractName(sb.toString());
                return UnixAddress.path(sb.isEmpty() ? "p" : sb.toString());
            }
        }
    }
}
