package dev.sluice.bindings.linux;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jextract argument files under {@code bindings/jextract/linux} must name exactly what the
 * Java classes bind, so a maintainer who regenerates with jextract diffs like against like.
 */
class JextractArgsTest {
    private static final Path DIR = Path.of("jextract", "linux"); // surefire runs in the module dir

    /** Java invokers whose C function has another name (typed wrappers over variadic C functions). */
    private static final Map<String, String> C_FUNCTION = Map.ofEntries(
            Map.entry("io_uring_setup", "syscall"), Map.entry("io_uring_enter", "syscall"),
            Map.entry("io_uring_register", "syscall"), Map.entry("fcntl$noarg", "fcntl"), Map.entry("fcntl$int", "fcntl"),
            Map.entry("send$address", "send"), Map.entry("recv$address", "recv"), Map.entry("sendto$syscall", "syscall"),
            Map.entry("recvfrom$syscall", "syscall"), Map.entry("epoll_pwait$syscall", "syscall"));

    @Test
    void argsFilesNameExactlyWhatIsBound() throws IOException, IllegalAccessException {
        Map<String, Set<String>> constants = new TreeMap<>(), functions = new TreeMap<>();
        Set<String> structs = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".args")).toList()) {
                String holder = p.getFileName().toString().replace(".args", "");
                List<String> lines = Files.readAllLines(p);
                assertTrue(lines.contains("--header-class-name " + holder), p + " names another class");
                assertTrue(lines.contains("--target-package dev.sluice.bindings.linux"), p + " target package");
                for (String line : lines) {
                    String[] w = line.trim().split("\\s+");
                    if (w.length != 2) continue;
                    switch (w[0]) {
                        case "--include-constant" -> constants.computeIfAbsent(holder, k -> new TreeSet<>()).add(w[1]);
                        case "--include-function" -> functions.computeIfAbsent(holder, k -> new TreeSet<>()).add(w[1]);
                        case "--include-struct" -> structs.add(w[1]);
                        default -> { }
                    }
                }
            }
        }
        for (Class<?> holder : AbiTest.HOLDERS) {
            String name = holder.getSimpleName();
            Set<String> javaConstants = new TreeSet<>();
            for (Field f : holder.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isPublic(m) && Modifier.isStatic(m) && (f.getType() == int.class || f.getType() == long.class)) {
                    javaConstants.add(f.getName());
                }
            }
            assertEquals(javaConstants, constants.getOrDefault(name, Set.of()), name + ".args constants");
            Set<String> javaFunctions = new TreeSet<>();
            for (Class<?> fn : holder.getDeclaredClasses()) {
                javaFunctions.add(C_FUNCTION.getOrDefault(fn.getSimpleName(), fn.getSimpleName()));
            }
            assertEquals(javaFunctions, functions.getOrDefault(name, Set.of()), name + ".args functions");
        }
        Set<String> javaStructs = new TreeSet<>();
        AbiTest.STRUCTS.keySet().forEach(c -> javaStructs.add(c.getSimpleName()));
        assertEquals(javaStructs, structs, "--include-struct over all .args files");
    }
}
