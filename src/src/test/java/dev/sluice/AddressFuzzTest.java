package dev.sluice;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random inputs for the address parsers: random strings and mutations of valid literals.
 * Each input either yields a valid address that survives toString → parse, or fails with
 * IllegalArgumentException; never another exception, never a DNS lookup.
 */
@Timeout(60)
class AddressFuzzTest {
    private static final int CASES = 20_000;
    private static final String ALPHABET = "0123456789abcdefABCDEF:.%[]gxz -+/\u0661\uff11\u00e9\0";

    @Test
    void ipv4ParseAcceptsExactlyDottedQuads() {
        Random r = new Random(41);
        for (int i = 0; i < CASES; i++) {
            String s = switch (r.nextInt(3)) {
                case 0 -> randomString(r, "0123456789.+- x\u0661\uff11", 16);
                case 1 -> mutate(r, validIPv4(r));
                default -> validIPv4(r);
            };
            int port = r.nextInt(65536);
            Object outcome = outcome(() -> IPv4Address.parse(s, port));
            byte[] expected = dottedQuad(s);
            String where = "case " + i + " \"" + escape(s) + "\"";
            if (outcome instanceof IPv4Address a) {
                assertNotNull(expected, () -> where + " parsed as " + a + " but is not a dotted quad of ASCII decimals");
                assertArrayEquals(expected, a.bytes(), where);
                String host = a.toString().substring(0, a.toString().lastIndexOf(':'));
                assertEquals(a, IPv4Address.parse(host, port), where + " round trip");
            } else {
                assertInstanceOf(IllegalArgumentException.class, outcome, where);
                assertNull(expected, () -> where + " is a dotted quad but was refused: " + outcome);
            }
        }
    }

    @Test
    void ipv6ParseNeverThrowsOtherwiseAndNeverResolves() {
        Random r = new Random(43);
        int lookupsBefore = RecordingResolver.LOOKUPS.get();
        int parsed = 0;
        for (int i = 0; i < CASES; i++) {
            Literal valid = validIPv6(r);
            boolean mutated = r.nextInt(3) != 0;
            String s = r.nextInt(10) == 0 ? randomString(r, ALPHABET, 24) : mutated ? mutate(r, valid.text) : valid.text;
            int port = r.nextInt(65536);
            Object outcome = outcome(() -> IPv6Address.parse(s, port));
            String where = "case " + i + " \"" + escape(s) + "\"";
            assertEquals(lookupsBefore, RecordingResolver.LOOKUPS.get(), () -> where + " made a DNS lookup of " + RecordingResolver.lastLookup);
            if (outcome instanceof IPv6Address a) {
                parsed++;
                assertFalse(hasLeadingZeroIPv4Tail(s), () -> where + " has an IPv4 tail with a leading zero but parsed as " + a);
                String host = a.toString().substring(0, a.toString().lastIndexOf(':'));
                assertEquals(a, IPv6Address.parse(host, port), where + " round trip through " + a);
                if (s.equals(valid.text)) {
                    assertArrayEquals(valid.bytes, a.bytes(), where);
                    assertEquals(valid.scope, a.scopeId(), where);
                }
            } else {
                assertInstanceOf(IllegalArgumentException.class, outcome, where);
                assertFalse(s.equals(valid.text), () -> where + " is a valid literal but was refused: " + outcome);
            }
        }
        assertTrue(parsed > CASES / 4, "too few inputs parsed to mean anything: " + parsed);
    }

    @Test
    void unixNamesAreLimitedInUtf8BytesAndRoundTrip() {
        Random r = new Random(47);
        for (int i = 0; i < CASES; i++) {
            String name = randomUnicode(r, r.nextInt(5) == 0 ? 120 : 60);
            boolean isAbstract = r.nextBoolean();
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            boolean wellFormed = new String(utf8, StandardCharsets.UTF_8).equals(name);
            boolean fits = utf8.length <= UnixAddress.NAME_BYTES_MAX;
            boolean valid = wellFormed && fits && (isAbstract || (!name.isEmpty() && name.indexOf('\0') < 0));
            Object outcome = outcome(() -> isAbstract ? UnixAddress.abstractName(name) : UnixAddress.path(name));
            String where = "case " + i + (isAbstract ? " abstract" : " path") + " \"" + escape(name) + "\" (" + utf8.length + " bytes)";
            if (valid) {
                UnixAddress a = assertInstanceOf(UnixAddress.class, outcome, where);
                assertEquals(name, a.name(), where);
                assertEquals(isAbstract, a.isAbstract(), where);
            } else {
                assertInstanceOf(IllegalArgumentException.class, outcome, () -> where + (wellFormed ? "" : " is not well-formed Unicode") + " but gave " + outcome);
            }
        }
    }

    // Generators.

    static Object outcome(Supplier<Object> f) {
        try {
            return f.get();
        } catch (RuntimeException e) {
            return e;
        }
    }

    static String randomString(Random r, String alphabet, int maxLength) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(maxLength + 1); n > 0; n--) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return sb.toString();
    }

    /** One to three random edits: delete, insert, replace, duplicate a span, or cut. */
    static String mutate(Random r, String s) {
        StringBuilder sb = new StringBuilder(s);
        for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
            int at = sb.isEmpty() ? 0 : r.nextInt(sb.length() + 1);
            char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
            switch (r.nextInt(5)) {
                case 0 -> {
                    if (at < sb.length()) sb.deleteCharAt(at);
                }
                case 1 -> sb.insert(at, c);
                case 2 -> {
                    if (at < sb.length()) sb.setCharAt(at, c);
                }
                case 3 -> {
                    int end = Math.min(sb.length(), at + r.nextInt(6));
                    sb.insert(at, sb.substring(at, end));
                }
                default -> sb.setLength(at);
            }
        }
        return sb.toString();
    }

    static String validIPv4(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (i > 0) sb.append('.');
            int v = r.nextInt(256);
            sb.append(r.nextInt(8) == 0 && v < 100 ? String.format("%03d", v).substring(v < 10 ? r.nextInt(3) : r.nextInt(2)) : Integer.toString(v));
        }
        return sb.toString();
    }

    /** The model (inet_pton's): four parts of one to three ASCII digits, each at most 255, no leading zeros ("0" alone is fine). */
    static byte[] dottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) return null;
            if (p.length() > 1 && p.charAt(0) == '0') return null;
            for (int k = 0; k < p.length(); k++) if (p.charAt(k) < '0' || p.charAt(k) > '9') return null;
            int v = Integer.parseInt(p);
            if (v > 255) return null;
            b[i] = (byte) v;
        }
        return b;
    }

    /** A dotted IPv4 tail (before any scope) with a part like "01": inet_pton refuses it. */
    static boolean hasLeadingZeroIPv4Tail(String literal) {
        String s = literal.replace("[", "").replace("]", "");
        int scope = s.indexOf('%');
        if (scope >= 0) s = s.substring(0, scope);
        if (s.indexOf('.') < 0) return false;
        for (String p : s.substring(s.lastIndexOf(':') + 1).split("\\.", -1)) {
            if (p.length() > 1 && p.charAt(0) == '0') return true;
        }
        return false;
    }

    record Literal(String text, byte[] bytes, int scope) {
    }

    /** A random valid IPv6 literal: full or compressed, maybe an IPv4 tail, a numeric scope, brackets. */
    static Literal validIPv6(Random r) {
        byte[] b = new byte[16];
        r.nextBytes(b);
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = r.nextInt(4) == 0 ? 0 : ((b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF));
        boolean mapped = r.nextInt(6) == 0;
        if (mapped) {
            Arrays.fill(groups, 0, 5, 0);
            groups[5] = 0xFFFF;
        }
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        boolean v4Tail = mapped || r.nextInt(8) == 0;
        int words = v4Tail ? 6 : 8;
        String[] text = new String[words];
        for (int i = 0; i < words; i++) {
            String h = Integer.toHexString(groups[i]);
            if (r.nextInt(4) == 0) h = "0".repeat(4 - h.length()) + h;
            text[i] = r.nextBoolean() ? h.toUpperCase() : h;
        }
        // Compress one run of zero groups with "::" (any run, not only the longest: both are valid input).
        int runStart = -1;
        int runEnd = -1;
        if (r.nextBoolean()) {
            for (int i = 0; i < words; i++) {
                if (groups[i] != 0) continue;
                int j = i;
                while (j < words && groups[j] == 0) j++;
                if (j - i >= 1 && (runStart < 0 || r.nextBoolean())) {
                    runStart = i;
                    runEnd = j;
                }
                i = j;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i == runStart) {
                sb.append("::");
                i = runEnd - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(text[i]);
        }
        if (v4Tail) {
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(b[12] & 0xFF).append('.').append(b[13] & 0xFF).append('.').append(b[14] & 0xFF).append('.').append(b[15] & 0xFF);
        }
        int scope = !mapped && r.nextInt(4) == 0 ? 1 + r.nextInt(1000) : 0;
        if (scope != 0) sb.append('%').append(scope);
        String s = r.nextBoolean() ? "[" + sb + "]" : sb.toString();
        return new Literal(s, b, scope);
    }

    /** Random code points: ASCII, 2-, 3- and 4-byte UTF-8, NUL, and sometimes an unpaired surrogate. */
    static String randomUnicode(Random r, int maxChars) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(maxChars + 1); n > 0; n--) {
            switch (r.nextInt(20)) {
                case 0 -> sb.append('\0');
                case 1 -> sb.append((char) (0xD800 + r.nextInt(0x800)));
                case 2, 3 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                case 4, 5 -> sb.append((char) (0x800 + r.nextInt(0xD000 - 0x800)));
                case 6 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                default -> sb.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7F) sb.append(c);
            else sb.append("\\u").append(HexFormat.of().toHexDigits(c));
        }
        return sb.toString();
    }
}
