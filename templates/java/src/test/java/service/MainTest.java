package service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in its own JVM: SIGTERM must run the shutdown hook and exit promptly. */
class MainTest {

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void sigtermStopsTheServiceCleanly(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("service.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("PORT", "0");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lines(log).stream().noneMatch(l -> l.contains("listening on port")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(lines(log).stream().anyMatch(l -> l.contains("listening on port")), "started: " + lines(log));
            process.destroy(); // SIGTERM on Linux and macOS
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "stopped within 10 s");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(143, process.exitValue(), "exit status of a SIGTERM-ed JVM");
        assertTrue(lines(log).stream().anyMatch(l -> l.endsWith("INFO stopped")), "the shutdown hook ran: " + lines(log));
    }
}
