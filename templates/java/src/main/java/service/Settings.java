package service;

import java.util.Map;

/** Where the service listens: HOST (default 0.0.0.0) and PORT (default 8080) from the environment. */
public record Settings(String host, int port) {

    /** A container must listen on all its interfaces; the port is the boundary. */
    public static final String ALL_INTERFACES = "0.0.0.0";

    public static final int DEFAULT_PORT = 8080;

    /** Read HOST and PORT, refusing a port outside 0-65535. */
    public static Settings fromEnv(Map<String, String> env) {
        String raw = env.getOrDefault("PORT", String.valueOf(DEFAULT_PORT));
        int port;
        try {
            port = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number, not '" + raw + "'", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be between 0 and 65535, not " + port);
        }
        return new Settings(env.getOrDefault("HOST", ALL_INTERFACES), port);
    }
}
