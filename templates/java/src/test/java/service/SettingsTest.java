package service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    @Test
    void defaultsToPort8080OnAllInterfaces() {
        assertEquals(new Settings("0.0.0.0", 8080), Settings.fromEnv(Map.of()));
    }

    @Test
    void comesFromTheEnvironment() {
        assertEquals(new Settings("127.0.0.1", 9090), Settings.fromEnv(Map.of("HOST", "127.0.0.1", "PORT", "9090")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"70000", "-1", "eighty"})
    void refusesABadPort(String port) {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> Settings.fromEnv(Map.of("PORT", port)));
        assertEquals(true, error.getMessage().startsWith("PORT"));
    }
}
