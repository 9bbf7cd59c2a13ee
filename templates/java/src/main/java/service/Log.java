package service;

import java.io.PrintStream;
import java.time.Instant;

/** One line per event on stdout, where the container runtime collects it. */
final class Log {

    private static final PrintStream OUT = System.out;

    private Log() {
    }

    static void info(String message) {
        OUT.println(Instant.now() + " INFO " + message);
    }
}
